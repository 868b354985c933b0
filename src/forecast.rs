//! The page's side of the cohort forecast: it starts the simulation worker,
//! asks it for runs and contact stories ([`crate::protocol`]) and keeps the
//! state the forecast panel draws. The simulation itself never runs on the
//! page's thread: a 1M-contact run takes about a second, and the editor
//! must answer every keystroke meanwhile.

use std::cell::RefCell;

use leptos::prelude::*;
use tandem_engine::format;
use tandem_engine::simulate::{ContactTimeline, Scenario, SimulationResult};
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

use crate::protocol::{self, Reply, Request};

/// Cohorts up to this size re-run by themselves a moment after each edit.
pub const AUTO_RUN_LIMIT: u32 = 20_000;

/// A run in progress.
#[derive(Clone, Debug, PartialEq)]
pub struct Running {
    pub id: u64,
    pub done: u32,
    pub total: u32,
    pub elapsed_ms: f64,
}

impl Running {
    /// Seconds left at the pace so far, once there is a pace to go by.
    pub fn seconds_left(&self) -> Option<f64> {
        (self.done > 0).then(|| self.elapsed_ms / f64::from(self.done) * f64::from(self.total - self.done) / 1000.0)
    }
}

/// A finished run: what it found, how long it took, and exactly what it
/// simulated (the journey and cohort documents), so that a report can say
/// how to reproduce it.
#[derive(Clone, Debug, PartialEq)]
pub struct Finished {
    pub run: u64,
    pub result: SimulationResult,
    pub elapsed_ms: f64,
    pub journey: String,
    pub cohort: String,
}

/// The forecast as the page shows it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Forecast {
    pub ready: bool,
    pub running: Option<Running>,
    /// The last finished run, and how long it took.
    pub result: Option<Finished>,
    /// The journey changed since the result was computed.
    pub stale: bool,
    /// Why the last run could not start.
    pub problems: Vec<String>,
    /// The pinned result later runs are compared with.
    pub baseline: Option<SimulationResult>,
    /// The contact explorer's request in flight, and what it showed last
    /// with how long the worker took to tell it.
    pub exploring: Option<u64>,
    pub timeline: Option<(ContactTimeline, f64)>,
}

/// The page's handle on the worker.
#[derive(Clone, Copy)]
pub struct Forecaster {
    pub state: RwSignal<Forecast>,
    /// The cohort and settings runs use, as the Cohort tab edits them.
    pub scenario: RwSignal<Scenario>,
    next_id: StoredValue<u64>,
    /// A run asked for before the worker was ready.
    queued: StoredValue<Option<Request>>,
    /// The documents of the run in progress, kept for its [`Finished`].
    sent: StoredValue<Option<(String, String)>>,
}

thread_local! {
    static WORKER: RefCell<Option<web_sys::Worker>> = const { RefCell::new(None) };
}

fn post(request: &Request) {
    let text = protocol::encode(request);
    WORKER.with(|worker| {
        if let Some(worker) = worker.borrow().as_ref() {
            let _ = worker.post_message(&text.into());
        }
    });
}

impl Forecaster {
    /// Starts the worker (`worker-boot.js`, served beside the page).
    pub fn start() -> Forecaster {
        let forecaster = Forecaster {
            state: RwSignal::new(Forecast::default()),
            scenario: RwSignal::new(Scenario::default()),
            next_id: StoredValue::new(0),
            queued: StoredValue::new(None),
            sent: StoredValue::new(None),
        };
        match web_sys::Worker::new("worker-boot.js") {
            Ok(worker) => {
                let on_message = Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
                    if let Some(reply) = event.data().as_string().and_then(|text| protocol::decode(&text)) {
                        forecaster.receive(reply);
                    }
                });
                worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
                on_message.forget();
                WORKER.with(|slot| *slot.borrow_mut() = Some(worker));
            }
            Err(_) => forecaster.state.update(|state| {
                state.problems = vec!["This browser could not start the forecast worker.".into()];
            }),
        }
        forecaster
    }

    fn receive(&self, reply: Reply) {
        let current = self.state.with_untracked(|state| state.running.as_ref().map(|running| running.id));
        match reply {
            Reply::Ready => {
                self.state.update(|state| state.ready = true);
                if let Some(request) = self.queued.get_value() {
                    self.queued.set_value(None);
                    post(&request);
                }
            }
            Reply::Progress { id, done, total, elapsed_ms } if current == Some(id) => {
                self.state.update(|state| state.running = Some(Running { id, done, total, elapsed_ms }));
            }
            Reply::Done { id, result, elapsed_ms } if current == Some(id) => self.state.update(|state| {
                let (journey, cohort) = self.sent.get_value().unwrap_or_default();
                state.running = None;
                state.result = Some(Finished { run: id, result: *result, elapsed_ms, journey, cohort });
                state.problems.clear();
                state.stale = false;
            }),
            Reply::Refused { id, problems } if current == Some(id) => self.state.update(|state| {
                state.running = None;
                state.problems = problems;
            }),
            Reply::Cancelled { id } if current == Some(id) => self.state.update(|state| state.running = None),
            Reply::Timeline { id, timeline, elapsed_ms } => self.state.update(|state| {
                if state.exploring == Some(id) {
                    state.exploring = None;
                    state.timeline = Some((*timeline, elapsed_ms));
                }
            }),
            Reply::Refused { id, problems } => self.state.update(|state| {
                if state.exploring == Some(id) {
                    state.exploring = None;
                    state.problems = problems;
                }
            }),
            _ => {}
        }
    }

    /// Runs `journey` on the chosen cohort, superseding any run in progress.
    pub fn run(&self, journey: &tandem_engine::Journey) {
        let id = self.next_id.get_value() + 1;
        self.next_id.set_value(id);
        let (total, cohort) =
            self.scenario.with_untracked(|scenario| (scenario.cohort.size, format::export_cohort(scenario)));
        let journey = format::export(journey);
        self.sent.set_value(Some((journey.clone(), cohort.clone())));
        let request = Request::Run { id, journey, cohort };
        self.state.update(|state| state.running = Some(Running { id, done: 0, total, elapsed_ms: 0.0 }));
        if self.state.with_untracked(|state| state.ready) {
            post(&request);
        } else {
            self.queued.set_value(Some(request));
        }
    }

    /// Asks for contact `contact`'s story in the run on screen, which the
    /// worker still holds prepared.
    pub fn explore(&self, contact: u32) {
        let Some(run) = self.state.with_untracked(|state| state.result.as_ref().map(|finished| finished.run)) else {
            return;
        };
        let id = self.next_id.get_value() + 1;
        self.next_id.set_value(id);
        self.state.update(|state| state.exploring = Some(id));
        post(&Request::Timeline { id, run, contact });
    }

    /// Stops the run in progress after its current chunk.
    pub fn cancel(&self) {
        if let Some(running) = self.state.with_untracked(|state| state.running.clone()) {
            post(&Request::Cancel { id: running.id });
            self.queued.set_value(None);
            self.state.update(|state| state.running = None);
        }
    }
}
