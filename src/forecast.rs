//! The cohort forecast: what the page asks the simulation worker and what
//! it answers, and the page's side of the conversation. The simulation
//! itself never runs on the page's thread: a 1M-contact run takes about a
//! second, and the editor must answer every keystroke meanwhile.

use std::cell::RefCell;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use tandem_engine::cohort::{Beta, CohortSpec};
use tandem_engine::format;
use tandem_engine::simulate::{ContactTimeline, FatigueModel, SimulationResult, SimulationSettings};
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

/// What the user chooses about the simulated cohort and its behaviour; the
/// rest of the cohort spec and settings are the engine's defaults.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CohortChoices {
    pub size: u32,
    pub seed: u64,
    /// Weights of opted in, unknown, opted out.
    pub consent: [f64; 3],
    /// Weights of the personas, in the rule schema's order.
    pub personas: [f64; 6],
    /// Each persona's engagement propensity distribution, Beta(a, b).
    pub engagement: [(f64, f64); 6],
    /// Weights of the stages, in the rule schema's order.
    pub stages: [f64; 5],
    /// Share of contacts whose profile time zone is in another region than their phone's.
    pub time_zone_mismatch: f64,
    pub horizon_days: u16,
    pub fatigue: FatigueModel,
}

impl Default for CohortChoices {
    fn default() -> CohortChoices {
        let spec = CohortSpec::default();
        let settings = SimulationSettings::default();
        CohortChoices {
            size: 10_000,
            seed: spec.seed,
            consent: spec.consent,
            personas: spec.personas.map(|persona| persona.weight),
            engagement: spec.personas.map(|persona| (persona.engagement.a, persona.engagement.b)),
            stages: spec.stages.map(|stage| stage.weight),
            time_zone_mismatch: spec.time_zone_mismatch,
            horizon_days: settings.horizon_days,
            fatigue: settings.fatigue,
        }
    }
}

impl CohortChoices {
    /// The engine's cohort spec and settings with these choices.
    pub fn spec_and_settings(&self) -> (CohortSpec, SimulationSettings) {
        let mut spec = CohortSpec { size: self.size, seed: self.seed, ..CohortSpec::default() };
        spec.consent = self.consent;
        for ((persona, weight), (a, b)) in spec.personas.iter_mut().zip(self.personas).zip(self.engagement) {
            persona.weight = weight;
            persona.engagement = Beta { a, b };
        }
        for (stage, weight) in spec.stages.iter_mut().zip(self.stages) {
            stage.weight = weight;
        }
        spec.time_zone_mismatch = self.time_zone_mismatch;
        let settings = SimulationSettings {
            horizon_days: self.horizon_days,
            fatigue: self.fatigue,
            ..SimulationSettings::default()
        };
        (spec, settings)
    }
}

/// What the page asks of the worker, as JSON.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Request {
    /// Simulate `journey` (a v1 document) on a cohort of `size` contacts drawn with `seed`.
    Run { id: u64, journey: String, cohort: CohortChoices },
    /// Stop run `id` after the chunk it is in.
    Cancel { id: u64 },
    /// One contact's whole story in that run.
    Timeline { id: u64, journey: String, cohort: CohortChoices, contact: u32 },
}

/// What the worker answers, as JSON.
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
    /// The run could not start; each problem in words.
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
    },
}

/// Cohorts up to this size re-run by themselves a moment after each edit.
pub const AUTO_RUN_LIMIT: u32 = 20_000;
/// The largest cohort.
pub const MAX_SIZE: u32 = 1_000_000;

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

/// The forecast as the page shows it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Forecast {
    pub ready: bool,
    pub running: Option<Running>,
    /// The last finished run, and how long it took.
    pub result: Option<(SimulationResult, f64)>,
    /// The journey changed since the result was computed.
    pub stale: bool,
    /// Why the last run could not start.
    pub problems: Vec<String>,
    /// The pinned result later runs are compared with.
    pub baseline: Option<SimulationResult>,
    /// The contact explorer's request in flight, and what it showed last.
    pub exploring: Option<u64>,
    pub timeline: Option<ContactTimeline>,
}

/// The page's handle on the worker.
#[derive(Clone, Copy)]
pub struct Forecaster {
    pub state: RwSignal<Forecast>,
    pub cohort: RwSignal<CohortChoices>,
    next_id: StoredValue<u64>,
    /// A run asked for before the worker was ready.
    queued: StoredValue<Option<Request>>,
}

thread_local! {
    static WORKER: RefCell<Option<web_sys::Worker>> = const { RefCell::new(None) };
}

fn post(request: &Request) {
    let text = serde_json::to_string(request).expect("requests serialise");
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
            cohort: RwSignal::new(CohortChoices::default()),
            next_id: StoredValue::new(0),
            queued: StoredValue::new(None),
        };
        match web_sys::Worker::new("worker-boot.js") {
            Ok(worker) => {
                let on_message = Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
                    if let Some(reply) = event.data().as_string().and_then(|text| serde_json::from_str(&text).ok()) {
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
                state.running = None;
                state.result = Some((*result, elapsed_ms));
                state.problems.clear();
                state.stale = false;
            }),
            Reply::Refused { id, problems } if current == Some(id) => self.state.update(|state| {
                state.running = None;
                state.problems = problems;
            }),
            Reply::Cancelled { id } if current == Some(id) => self.state.update(|state| state.running = None),
            Reply::Timeline { id, timeline } => self.state.update(|state| {
                if state.exploring == Some(id) {
                    state.exploring = None;
                    state.timeline = Some(*timeline);
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
        let cohort = self.cohort.get_untracked();
        let total = cohort.size;
        let request = Request::Run { id, journey: format::export(journey), cohort };
        self.state.update(|state| state.running = Some(Running { id, done: 0, total, elapsed_ms: 0.0 }));
        if self.state.with_untracked(|state| state.ready) {
            post(&request);
        } else {
            self.queued.set_value(Some(request));
        }
    }

    /// Asks for contact `contact`'s timeline on the current cohort.
    pub fn explore(&self, journey: &tandem_engine::Journey, contact: u32) {
        let id = self.next_id.get_value() + 1;
        self.next_id.set_value(id);
        self.state.update(|state| state.exploring = Some(id));
        post(&Request::Timeline { id, journey: format::export(journey), cohort: self.cohort.get_untracked(), contact });
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
