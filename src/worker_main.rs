//! The simulation worker's entry point, built by Trunk as `tandem-worker`.

fn main() {
    tandem::worker::start();
}
