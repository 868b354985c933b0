//! The simulation worker (a second WebAssembly entry point, built by Trunk
//! as `tandem-worker`): it answers [`Request`]s from the page with
//! [`Reply`]s, running the engine's simulator chunk by chunk and yielding
//! between chunks, so that progress goes out and a cancel comes in.

use std::cell::Cell;

use tandem_engine::format;
use tandem_engine::simulate::Simulation;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::forecast::{CohortChoices, Reply, Request};

/// Contacts per chunk: about 15 ms of work, so progress is smooth.
const CHUNK: usize = 10_000;
/// The worker lets its event loop run (to hear a cancel) at least this often;
/// not after every chunk, as browsers make chained timers wait 4 ms each.
const YIELD_EVERY_MS: f64 = 50.0;

thread_local! {
    /// The run that should keep going; any other stops at its next chunk.
    static CURRENT: Cell<u64> = const { Cell::new(0) };
}

fn scope() -> web_sys::DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

fn reply(reply: &Reply) {
    let text = serde_json::to_string(reply).expect("replies serialise");
    let _ = scope().post_message(&text.into());
}

/// Lets the worker's event loop run (and deliver a cancel) before going on.
async fn yield_now() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = scope().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0);
    });
    let _ = JsFuture::from(promise).await;
}

/// The simulation a request describes, or its problems in words.
fn prepare(journey: &str, cohort: &CohortChoices) -> Result<Simulation, Vec<String>> {
    let journey =
        format::import(journey).map_err(|problems| problems.iter().map(ToString::to_string).collect::<Vec<_>>())?;
    let (spec, settings) = cohort.spec_and_settings();
    Simulation::new(&journey, &spec, &settings).map_err(|problems| problems.iter().map(ToString::to_string).collect())
}

async fn run(id: u64, journey: String, cohort: CohortChoices) {
    let started = js_sys::Date::now();
    let simulation = match prepare(&journey, &cohort) {
        Ok(simulation) => simulation,
        Err(problems) => return reply(&Reply::Refused { id, problems }),
    };
    let total = simulation.size();
    let mut tally = simulation.empty();
    let mut done = 0;
    let mut last_yield = started;
    while done < total {
        if CURRENT.get() != id {
            return reply(&Reply::Cancelled { id });
        }
        let end = (done + CHUNK).min(total);
        tally.merge(simulation.run_chunk(done..end));
        done = end;
        let now = js_sys::Date::now();
        reply(&Reply::Progress { id, done: done as u32, total: total as u32, elapsed_ms: now - started });
        if now - last_yield >= YIELD_EVERY_MS {
            yield_now().await;
            last_yield = js_sys::Date::now();
        }
    }
    if CURRENT.get() != id {
        return reply(&Reply::Cancelled { id });
    }
    let result = Box::new(simulation.finish(tally));
    reply(&Reply::Done { id, result, elapsed_ms: js_sys::Date::now() - started });
}

/// The worker's entry point: listen, then say so.
pub fn start() {
    console_error_panic_hook::set_once();
    let on_message = Closure::<dyn Fn(web_sys::MessageEvent)>::new(|event: web_sys::MessageEvent| {
        let Some(request) = event.data().as_string().and_then(|text| serde_json::from_str::<Request>(&text).ok())
        else {
            return;
        };
        match request {
            Request::Run { id, journey, cohort } => {
                CURRENT.set(id);
                wasm_bindgen_futures::spawn_local(run(id, journey, cohort));
            }
            Request::Cancel { id } => {
                if CURRENT.get() == id {
                    CURRENT.set(0);
                }
            }
            Request::Timeline { id, journey, cohort, contact } => {
                let size = cohort.size;
                match prepare(&journey, &cohort).map(|simulation| simulation.timeline(contact as usize)) {
                    Ok(Some(timeline)) => reply(&Reply::Timeline { id, timeline: Box::new(timeline) }),
                    Ok(None) => reply(&Reply::Refused {
                        id,
                        problems: vec![format!("There is no contact {contact} in a cohort of {size}.")],
                    }),
                    Err(problems) => reply(&Reply::Refused { id, problems }),
                }
            }
        }
    });
    scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    reply(&Reply::Ready);
}
