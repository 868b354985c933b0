//! The page's side of the cohort forecast: it starts a pool of simulation
//! workers, one per core, checks and compiles each run (saying what stops
//! it in the words of an import), spreads it over them, gathers their
//! parts for the lead to merge, asks the lead for contact stories
//! ([`crate::protocol`]) and keeps the state the forecast panel draws. The
//! simulation itself never runs on the page's thread: a 1M-contact run
//! takes about a second, and the editor must answer every keystroke
//! meanwhile.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;

use leptos::prelude::*;
use tandem_engine::Journey;
use tandem_engine::format;
use tandem_engine::simulate::{CompiledRun, ContactTimeline, Scenario, Shard, SimulationResult};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use crate::protocol::{self, Reply, Request, ShardTime};

/// Cohorts up to this size re-run by themselves a moment after each edit.
pub const AUTO_RUN_LIMIT: u32 = 20_000;
/// The most workers a run is spread over.
pub const MAX_WORKERS: usize = 8;

/// How many workers to start on a browser that reports `cores` logical
/// processors: one each, at least one, at most [`MAX_WORKERS`].
pub fn pool_size(cores: usize) -> usize {
    cores.clamp(1, MAX_WORKERS)
}

/// Problems in words.
fn words(problems: Vec<impl ToString>) -> Vec<String> {
    problems.iter().map(ToString::to_string).collect()
}

/// `journey` on `scenario`, checked and compiled for the workers, or every
/// problem that stops it in words: the journey's as an imported document's,
/// the cohort's under `/cohort` and the settings' under `/cohort/settings`,
/// as a `tandem.cohort/v1` document has them. The journey is checked once,
/// by the compiler; only a run that cannot start has its journey's
/// problems said again in an import's words.
pub fn compile(journey: &Journey, scenario: &Scenario) -> Result<CompiledRun, Vec<String>> {
    CompiledRun::new(journey, &scenario.cohort, &scenario.settings).map_err(|problems| {
        let in_journey = format::journey_problems(journey);
        if in_journey.is_empty() { words(problems) } else { words(in_journey) }
    })
}

/// A run ready for the pool: its number of contacts, the compiled run (as
/// a message's bytes) and the journey and cohort documents it simulates.
pub(crate) struct Prepared {
    total: u32,
    compiled: Vec<u8>,
    journey: String,
    cohort: String,
}

/// `journey` on `scenario` compiled and written down for the pool, or what
/// stops it in words ([`compile`]); the compiler is fetched with the first
/// run, a moment after first paint.
#[cfg_attr(tandem_split, leptos::lazy)]
pub(crate) async fn prepare_run(journey: Journey, scenario: Scenario) -> Result<Prepared, Vec<String>> {
    let compiled = compile(&journey, &scenario)?;
    Ok(Prepared {
        total: scenario.cohort.size,
        compiled: protocol::encode(&compiled),
        journey: format::export(&journey),
        cohort: format::export_cohort(&scenario),
    })
}

/// What the page gathers from the pool during one run: each shard's
/// progress and, as they finish, their parts.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Gathering {
    done: Vec<u32>,
    parts: Vec<Option<Vec<u8>>>,
}

impl Gathering {
    pub fn new(shards: usize) -> Gathering {
        Gathering { done: vec![0; shards], parts: vec![None; shards] }
    }

    /// Notes that `shard` has simulated `done` of its contacts; the run's total so far.
    pub fn progress(&mut self, shard: u32, done: u32) -> u32 {
        if let Some(slot) = self.done.get_mut(shard as usize) {
            *slot = done;
        }
        self.done.iter().sum()
    }

    /// Keeps `shard`'s part; every part, in shard order, once all are in.
    pub fn part(&mut self, shard: u32, partial: Vec<u8>) -> Option<Vec<Vec<u8>>> {
        if let Some(slot) = self.parts.get_mut(shard as usize) {
            *slot = Some(partial);
        }
        self.parts.iter().all(Option::is_some).then(|| self.parts.iter_mut().filter_map(Option::take).collect())
    }
}

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

/// Where a finished run's time went, in milliseconds: the whole of it on
/// the page's clock (from Run to the result arriving), and the workers'
/// own account of the slowest shard and of the lead's merge. What the
/// shards and the merge do not explain is the cost of the messages.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct RunTimings {
    pub workers: usize,
    pub elapsed_ms: f64,
    /// The slowest shard: from its request arriving to its part sent.
    pub shard_ms: f64,
    /// The slowest shard's time inside the simulator, chunk by chunk.
    pub simulating_ms: f64,
    pub merging_ms: f64,
}

impl RunTimings {
    /// Counts one shard's time in, keeping the slowest.
    fn shard(&mut self, time: ShardTime) {
        self.shard_ms = self.shard_ms.max(time.total_ms);
        self.simulating_ms = self.simulating_ms.max(time.simulating_ms);
    }
}

/// A finished run: what it found, how long it took, and exactly what it
/// simulated (the journey and cohort documents), so that a report can say
/// how to reproduce it.
#[derive(Clone, Debug, PartialEq)]
pub struct Finished {
    pub run: u64,
    pub result: SimulationResult,
    pub timings: RunTimings,
    pub journey: String,
    pub cohort: String,
}

/// The forecast as the page shows it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Forecast {
    pub ready: bool,
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

/// The page's handle on the worker pool.
#[derive(Clone, Copy)]
pub struct Forecaster {
    pub state: RwSignal<Forecast>,
    /// The run in progress, apart from [`Forecast`] so that its many
    /// progress messages redraw the progress bar and nothing else.
    pub running: RwSignal<Option<Running>>,
    /// The cohort and settings runs use, as the Cohort tab edits them.
    pub scenario: RwSignal<Scenario>,
    next_id: StoredValue<u64>,
    /// How many runs have been asked for: a run superseded while it was
    /// being prepared is not sent.
    runs_asked: StoredValue<u64>,
    /// Workers that have said they are ready.
    ready_workers: StoredValue<usize>,
    /// A run asked for before the pool was ready: its id, its compiled run
    /// (as a message's bytes) and when it was asked for.
    queued: StoredValue<Option<(u64, Vec<u8>, f64)>>,
    /// The documents of the run in progress, kept for its [`Finished`].
    sent: StoredValue<Option<(String, String)>>,
    /// The run in progress's shards, and when it started (page clock, ms).
    gathering: StoredValue<(Gathering, f64)>,
    /// What the run in progress's shards have said of their time so far.
    timings: StoredValue<RunTimings>,
}

thread_local! {
    static WORKERS: RefCell<Vec<web_sys::Worker>> = const { RefCell::new(Vec::new()) };
}

thread_local! {
    /// The workers' messages not yet handled, oldest first: handling them
    /// may wait for its code to be fetched, and they must be handled in order.
    static INBOX: RefCell<VecDeque<JsValue>> = const { RefCell::new(VecDeque::new()) };
    static DRAINING: Cell<bool> = const { Cell::new(false) };
}

/// Handles the inbox's messages one at a time, in the order they came.
async fn drain_inbox(forecaster: Forecaster) {
    while let Some(data) = INBOX.with(|inbox| inbox.borrow_mut().pop_front()) {
        receive_message(forecaster, data).await;
    }
    DRAINING.set(false);
}

/// One worker message, decoded and acted on; the code is fetched with the
/// first message, as the pool starts.
#[cfg_attr(tandem_split, leptos::lazy)]
pub(crate) async fn receive_message(forecaster: Forecaster, data: JsValue) {
    if let Some(reply) = protocol::from_message(&data) {
        forecaster.receive(reply);
    }
}

/// How many workers the pool has.
fn workers() -> usize {
    WORKERS.with(|workers| workers.borrow().len())
}

/// Sends `request` to worker `index`; worker 0 is the lead.
fn post_to(index: usize, request: &Request) {
    let message = protocol::to_message(request);
    WORKERS.with(|workers| {
        if let Some(worker) = workers.borrow().get(index) {
            let _ = worker.post_message(&message);
        }
    });
}

/// Milliseconds on the page's clock.
fn now() -> f64 {
    web_sys::window().and_then(|window| window.performance()).map_or_else(js_sys::Date::now, |clock| clock.now())
}

impl Forecaster {
    /// Starts the pool (each worker from `worker-boot.js`, served beside the page).
    pub fn start() -> Forecaster {
        let forecaster = Forecaster {
            state: RwSignal::new(Forecast::default()),
            running: RwSignal::new(None),
            scenario: RwSignal::new(Scenario::default()),
            next_id: StoredValue::new(0),
            runs_asked: StoredValue::new(0),
            ready_workers: StoredValue::new(0),
            queued: StoredValue::new(None),
            sent: StoredValue::new(None),
            gathering: StoredValue::new((Gathering::default(), 0.0)),
            timings: StoredValue::new(RunTimings::default()),
        };
        let cores = web_sys::window().map_or(1.0, |window| window.navigator().hardware_concurrency());
        for _ in 0..pool_size(cores as usize) {
            let Ok(worker) = web_sys::Worker::new("worker-boot.js") else { break };
            let on_message = Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
                INBOX.with(|inbox| inbox.borrow_mut().push_back(event.data()));
                if !DRAINING.replace(true) {
                    leptos::task::spawn_local(drain_inbox(forecaster));
                }
            });
            worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
            on_message.forget();
            WORKERS.with(|workers| workers.borrow_mut().push(worker));
        }
        if workers() == 0 {
            forecaster.state.update(|state| {
                state.problems = vec!["This browser could not start the forecast worker.".into()];
            });
        }
        forecaster
    }

    fn receive(&self, reply: Reply) {
        let current = self.running.with_untracked(|running| running.as_ref().map(|running| running.id));
        match reply {
            Reply::Ready => {
                self.ready_workers.update_value(|ready| *ready += 1);
                if self.ready_workers.get_value() == workers() {
                    self.state.update(|state| state.ready = true);
                    if let Some((id, compiled, started)) = self.queued.get_value() {
                        self.queued.set_value(None);
                        self.dispatch(id, compiled, started);
                    }
                }
            }
            Reply::Progress { id, shard, done } if current == Some(id) => {
                let mut so_far = 0;
                self.gathering.update_value(|(gathering, _)| so_far = gathering.progress(shard, done));
                let started = self.gathering.with_value(|(_, started)| *started);
                self.running.update(|running| {
                    if let Some(running) = running.as_mut() {
                        running.done = so_far;
                        running.elapsed_ms = now() - started;
                    }
                });
            }
            Reply::Part { id, shard, partial, time } if current == Some(id) => {
                self.timings.update_value(|timings| timings.shard(time));
                let mut all = None;
                self.gathering.update_value(|(gathering, _)| all = gathering.part(shard, partial));
                if let Some(parts) = all {
                    post_to(0, &Request::Merge { id, parts });
                }
            }
            Reply::Done { id, result, lead, merging_ms } if current == Some(id) => {
                let mut timings = self.timings.get_value();
                if let Some(lead) = lead {
                    timings.shard(lead);
                }
                timings.merging_ms = merging_ms;
                timings.elapsed_ms = now() - self.gathering.with_value(|(_, started)| *started);
                let (journey, cohort) = self.sent.get_value().unwrap_or_default();
                self.running.set(None);
                self.state.update(|state| {
                    state.result = Some(Finished { run: id, result: *result, timings, journey, cohort });
                    state.problems.clear();
                    state.stale = false;
                });
            }
            Reply::Refused { id, problems } if current == Some(id) => {
                self.post_all(&Request::Cancel { id });
                self.running.set(None);
                self.state.update(|state| state.problems = problems);
            }
            Reply::Cancelled { id } if current == Some(id) => self.running.set(None),
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

    fn post_all(&self, request: &Request) {
        for index in 0..workers() {
            post_to(index, request);
        }
    }

    /// Spreads run `id`, asked for at `started` on the page's clock, over
    /// the pool, one shard per worker.
    fn dispatch(&self, id: u64, compiled: Vec<u8>, started: f64) {
        let count = workers();
        self.gathering.set_value((Gathering::new(count), started));
        self.timings.set_value(RunTimings { workers: count, ..RunTimings::default() });
        for index in 0..count {
            let shard = Shard { index: index as u32, count: count as u32 };
            post_to(index, &Request::Run { id, run: compiled.clone(), shard });
        }
    }

    /// Runs `journey` on the chosen cohort, superseding any run in progress
    /// (and any asked for before); a run that cannot start shows why
    /// instead.
    pub fn run(&self, journey: &Journey) {
        let started = now();
        let forecaster = *self;
        let asked = self.runs_asked.get_value() + 1;
        self.runs_asked.set_value(asked);
        let (journey, scenario) = (journey.clone(), self.scenario.get_untracked());
        leptos::task::spawn_local(async move {
            let prepared = prepare_run(journey, scenario).await;
            if forecaster.runs_asked.try_get_value() == Some(asked) {
                forecaster.send(prepared, started);
            }
        });
    }

    /// Sends a prepared run, asked for at `started` on the page's clock, to
    /// the pool (or queues it until the pool is ready); a run that cannot
    /// start shows why instead.
    fn send(&self, prepared: Result<Prepared, Vec<String>>, started: f64) {
        let Prepared { total, compiled, journey, cohort } = match prepared {
            Ok(prepared) => prepared,
            Err(problems) => {
                self.cancel();
                self.state.update(|state| state.problems = problems);
                return;
            }
        };
        let id = self.next_id.get_value() + 1;
        self.next_id.set_value(id);
        self.sent.set_value(Some((journey, cohort)));
        self.running.set(Some(Running { id, done: 0, total, elapsed_ms: 0.0 }));
        if self.state.with_untracked(|state| state.ready) {
            self.dispatch(id, compiled, started);
        } else {
            self.queued.set_value(Some((id, compiled, started)));
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
        post_to(0, &Request::Timeline { id, run, contact });
    }

    /// Stops the run in progress after its current chunk.
    pub fn cancel(&self) {
        if let Some(running) = self.running.get_untracked() {
            self.post_all(&Request::Cancel { id: running.id });
            self.queued.set_value(None);
            self.running.set(None);
        }
    }
}

#[cfg(test)]
mod tests {
    use tandem_engine::cohort::CohortSpec;
    use tandem_engine::simulate::{Simulation, SimulationSettings};

    use super::*;

    #[test]
    fn the_pool_has_a_worker_per_core_within_limits() {
        assert_eq!([0, 1, 2, 3, 16].map(pool_size), [1, 1, 2, 3, 8]);
    }

    #[test]
    fn a_run_is_gathered_shard_by_shard_in_any_order() {
        let mut gathering = Gathering::new(3);
        assert_eq!(gathering.progress(2, 10), 10);
        assert_eq!(gathering.progress(0, 5), 15);
        assert_eq!(gathering.progress(2, 20), 25);
        assert_eq!(gathering.part(2, vec![3]), None);
        assert_eq!(gathering.part(0, vec![1]), None);
        assert_eq!(gathering.part(1, vec![2]), Some(vec![vec![1], vec![2], vec![3]]));
    }

    /// What the page says when a run cannot start: the journey's problems
    /// as an import finds them, the cohort's under `/cohort`.
    #[test]
    fn a_run_that_cannot_start_says_why_at_each_problems_path() {
        let journey = tandem_engine::samples::playbook();
        let scenario = Scenario::default();
        assert!(compile(&journey, &scenario).is_ok());

        let mut broken = journey.clone();
        broken.touchpoints[1].trigger = "visted(\"pricing\", 3d)".into();
        let problems = compile(&broken, &scenario).unwrap_err();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].starts_with("/sms/1/trigger (bytes 0..6 of the rule): "), "{problems:?}");
        assert!(problems[0].contains("visited"), "{problems:?}");

        let mut scenario = Scenario::default();
        scenario.cohort.personas[1].engagement.a = 0.01;
        scenario.settings.fatigue.stop_ceiling = 2.0;
        let problems = compile(&journey, &scenario).unwrap_err();
        let paths: Vec<&str> = problems.iter().filter_map(|problem| problem.split(": ").next()).collect();
        assert_eq!(paths, ["/cohort/settings/fatigue/stop_ceiling", "/cohort/personas/RevOps/engagement/a"]);
    }

    /// What the pool does, natively: each of `n` workers simulates its shard,
    /// its partial travels as a protocol message, and the lead merges them
    /// into one run.
    #[test]
    fn pools_of_one_two_and_three_give_exactly_one_runs_result() {
        let whole = tandem_engine::simulate::golden().run();
        // The run as the page compiles it and a worker reads it.
        let spec = CohortSpec { size: 2_000, seed: 7, ..CohortSpec::default() };
        let scenario = Scenario { cohort: spec, settings: SimulationSettings::default() };
        let compiled = compile(&tandem_engine::samples::playbook(), &scenario).unwrap();
        let simulation = Simulation::from_compiled(protocol::decode(&protocol::encode(&compiled)).unwrap());
        for count in 1..=3u32 {
            let mut gathering = Gathering::new(count as usize);
            let mut parts = None;
            for index in (0..count).rev() {
                let partial = simulation.run_chunk(Shard { index, count }.range(simulation.size()));
                parts = gathering.part(index, protocol::encode(&partial));
            }
            let partials = parts.unwrap().iter().map(|part| protocol::decode(part).unwrap()).collect::<Vec<_>>();
            assert_eq!(simulation.merge(partials).unwrap(), whole, "a pool of {count}");
        }
    }
}
