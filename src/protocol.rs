//! What the page and the simulation workers say to each other, in one place
//! both sides use: the page sends [`Request`]s, a worker answers with
//! [`Reply`]s, each as a compact binary message (postcard: the fields in
//! order, integers as varints, floats as their exact bits), so neither side
//! carries JSON code for results, partial counts or timelines. A run
//! travels checked and compiled, as the postcard of a
//! [`CompiledRun`](tandem_engine::simulate::CompiledRun) built on the page,
//! so a worker carries neither the document readers nor the rule language.
//!
//! A run is spread over a pool: worker `i` of `n` simulates shard `i` (a
//! contiguous range of contacts) and sends back its partial counts; the
//! page hands them all to worker 0, the lead, which merges them (in any
//! order, they add up to exactly one run) and does the one pass across
//! contacts, Sales answering replies, once.

use serde::{Deserialize, Serialize};
use tandem_engine::simulate::{ContactTimeline, Shard, SimulationResult};
use wasm_bindgen::{JsCast, JsValue};

/// What the page asks of the worker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Request {
    /// Simulate `shard` of `run`, an [`encode`]d compiled run. A shard that
    /// is the whole run answers with [`Reply::Done`], any other with
    /// [`Reply::Part`].
    Run { id: u64, run: Vec<u8>, shard: Shard },
    /// To the lead (worker 0): merge every shard's part of run `id`, its own
    /// among them, into the run's result.
    Merge { id: u64, parts: Vec<Vec<u8>> },
    /// Stop run `id` after the chunk it is in.
    Cancel { id: u64 },
    /// To the lead: one contact's whole story in finished run `run`, from
    /// the prepared simulation it keeps.
    Timeline { id: u64, run: u64, contact: u32 },
}

/// What the worker answers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Reply {
    /// The worker has loaded and listens.
    Ready,
    /// Shard `shard` of run `id` has simulated `done` of its contacts.
    Progress {
        id: u64,
        shard: u32,
        done: u32,
    },
    /// Shard `shard`'s counts (an [`encode`]d `Partial`), for the lead to
    /// merge, and how long the shard took.
    Part {
        id: u64,
        shard: u32,
        partial: Vec<u8>,
        time: ShardTime,
    },
    /// Run `id`'s result, with how long the lead took to merge the parts
    /// and, for a run that was not split, its one shard's time.
    Done {
        id: u64,
        result: Box<SimulationResult>,
        lead: Option<ShardTime>,
        merging_ms: f64,
    },
    /// The request could not be answered; each problem in words.
    Refused {
        id: u64,
        problems: Vec<String>,
    },
    Cancelled {
        id: u64,
    },
    Timeline {
        id: u64,
        timeline: Box<ContactTimeline>,
        elapsed_ms: f64,
    },
}

/// Where a shard's time went on its worker, in milliseconds: all of it,
/// from the request arriving to the part being sent, and the part of that
/// spent inside the simulator.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ShardTime {
    pub total_ms: f64,
    pub simulating_ms: f64,
}

/// A message's bytes.
pub fn encode(message: &impl Serialize) -> Vec<u8> {
    postcard::to_allocvec(message).expect("protocol messages serialise")
}

/// The message `bytes` hold, if they hold one and nothing more.
pub fn decode<T: for<'de> Deserialize<'de>>(bytes: &[u8]) -> Option<T> {
    match postcard::take_from_bytes(bytes) {
        Ok((message, [])) => Some(message),
        _ => None,
    }
}

/// A message as the data of a `postMessage`.
pub fn to_message(message: &impl Serialize) -> JsValue {
    js_sys::Uint8Array::from(encode(message).as_slice()).into()
}

/// The message a `MessageEvent`'s data carries, if it is one.
pub fn from_message<T: for<'de> Deserialize<'de>>(data: &JsValue) -> Option<T> {
    data.dyn_ref::<js_sys::Uint8Array>().and_then(|bytes| decode(&bytes.to_vec()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_survive_the_trip_as_bytes() {
        let result = tandem_engine::simulate::golden().run();
        let sent = result.clone();
        match decode(&encode(&Reply::Done { id: 3, result: Box::new(result), lead: None, merging_ms: 1.5 })) {
            Some(Reply::Done { id: 3, result, .. }) => assert_eq!(*result, sent),
            other => panic!("not the result sent: {other:?}"),
        }
        let replies = [
            Reply::Ready,
            Reply::Progress { id: 3, shard: 1, done: 10 },
            Reply::Part {
                id: 3,
                shard: 1,
                partial: vec![1, 2, 3],
                time: ShardTime { total_ms: 2.0, simulating_ms: 1.5 },
            },
            Reply::Refused { id: 4, problems: vec!["/cohort/size: A cohort needs at least 1 contact.".into()] },
        ];
        for reply in replies {
            assert_eq!(decode::<Reply>(&encode(&reply)), Some(reply));
        }
        for request in [
            Request::Timeline { id: 9, run: 3, contact: 42 },
            Request::Run { id: 4, run: vec![1, 2, 3], shard: Shard { index: 1, count: 3 } },
            Request::Merge { id: 4, parts: vec![vec![7; 5]; 3] },
        ] {
            assert_eq!(decode::<Request>(&encode(&request)), Some(request));
        }
        // No fifth kind of request; a message cut short; one with bytes to spare.
        assert_eq!(decode::<Request>(&[4, 1]), None);
        let cancel = encode(&Request::Cancel { id: 300 });
        assert_eq!(decode::<Request>(&cancel[..cancel.len() - 1]), None);
        assert_eq!(decode::<Request>(&[cancel.as_slice(), &[0]].concat()), None);
        assert_eq!(decode::<Request>(&cancel), Some(Request::Cancel { id: 300 }));
    }
}
