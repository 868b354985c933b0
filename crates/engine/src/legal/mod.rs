//! The law on when marketing texts may reach a recipient, as data with its
//! sources: the legal-window table every journey starts from ([`windows`],
//! from `data/us_legal_windows.csv`) and the holiday calendar the rows that
//! close on holidays read ([`holidays`], from `data/us_holidays.csv`). Both
//! tables are read and checked while the engine compiles, so a malformed
//! row stops the build and a lookup costs nothing at run time.

pub mod holidays;
pub mod windows;
