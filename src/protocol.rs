//! What the page and the simulation worker say to each other, in one place
//! both sides use: the page sends [`Request`]s, the worker answers with
//! [`Reply`]s, each as JSON text in a message. The journey and the cohort
//! travel as their own documents (`tandem.journey/v1`, `tandem.cohort/v1`),
//! so the worker reads exactly what a file would hold.

use serde::{Deserialize, Serialize};
use tandem_engine::simulate::{ContactTimeline, SimulationResult};

/// What the page asks of the worker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Request {
    /// Simulate `journey` on `cohort`; the worker keeps the prepared
    /// simulation of the last finished run for the contact explorer.
    Run { id: u64, journey: String, cohort: String },
    /// Stop run `id` after the chunk it is in.
    Cancel { id: u64 },
    /// One contact's whole story in finished run `run`.
    Timeline { id: u64, run: u64, contact: u32 },
}

/// What the worker answers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Reply {
    /// The worker has loaded and listens.
    Ready,
    Progress {
        id: u64,
        done: u32,
        total: u32,
        elapsed_ms: f64,
    },
    Done {
        id: u64,
        result: Box<SimulationResult>,
        elapsed_ms: f64,
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

/// A message's text.
pub fn encode(message: &impl Serialize) -> String {
    serde_json::to_string(message).expect("protocol messages serialise")
}

/// The message a text carries, if it is one.
pub fn decode<T: for<'de> Deserialize<'de>>(text: &str) -> Option<T> {
    serde_json::from_str(text).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_survive_the_trip_as_text() {
        let result = tandem_engine::simulate::golden().run();
        let totals = result.totals.clone();
        match decode(&encode(&Reply::Done { id: 3, result: Box::new(result), elapsed_ms: 12.0 })) {
            Some(Reply::Done { id: 3, result, .. }) => assert_eq!(result.totals, totals),
            other => panic!("not the result sent: {other:?}"),
        }
        let replies = [
            Reply::Ready,
            Reply::Progress { id: 3, done: 10, total: 20, elapsed_ms: 1.5 },
            Reply::Refused { id: 4, problems: vec!["/cohort/size: A cohort needs at least 1 contact.".into()] },
        ];
        for reply in replies {
            assert_eq!(decode::<Reply>(&encode(&reply)), Some(reply));
        }
        let request = Request::Timeline { id: 9, run: 3, contact: 42 };
        assert_eq!(decode::<Request>(&encode(&request)), Some(request));
        assert_eq!(decode::<Request>("{\"Launch\": {}}"), None);
    }
}
