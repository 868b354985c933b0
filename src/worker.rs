//! A simulation worker (a second WebAssembly entry point, built by Trunk as
//! `tandem-worker`; the page starts a pool of them): it answers [`Request`]s
//! from the page with [`Reply`]s, running its shard of a run chunk by chunk
//! and yielding between chunks, so that progress goes out and a cancel
//! comes in. The lead (worker 0) merges every shard's part into the result
//! and keeps the prepared simulation of the last finished run, so the
//! contact explorer re-runs one contact without preparing anything again.
//! A run arrives checked and compiled by the page (the worker adds only its
//! clocks and the cohort's synthesis), so a worker never reads a document
//! or a rule.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use tandem_engine::simulate::{CompiledRun, Partial, Shard, Simulation};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::protocol::{self, Reply, Request, ShardTime};

/// Contacts per chunk: about 15 ms of work, so progress is smooth.
const CHUNK: usize = 10_000;
/// The worker lets its event loop run (to hear a cancel) at least this often.
const YIELD_EVERY_MS: f64 = 50.0;

thread_local! {
    /// The run that should keep going; any other stops at its next chunk.
    static CURRENT: Cell<u64> = const { Cell::new(0) };
    /// The lead's run waiting for the other shards' parts, and its prepared simulation.
    static MERGING: RefCell<Option<(u64, Rc<Simulation>)>> = const { RefCell::new(None) };
    /// The last finished run and its prepared simulation.
    static FINISHED: RefCell<Option<(u64, Rc<Simulation>)>> = const { RefCell::new(None) };
}

fn scope() -> web_sys::DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

fn reply(reply: &Reply) {
    let _ = scope().post_message(&protocol::to_message(reply));
}

/// Milliseconds since the worker started, with sub-millisecond precision.
fn now() -> f64 {
    scope().performance().map_or_else(js_sys::Date::now, |performance| performance.now())
}

/// Lets the worker's event loop run (and deliver a cancel) before going on:
/// a message to itself through a `MessageChannel`, which is queued behind
/// the messages already waiting and, unlike a chained `setTimeout(0)`, is
/// not held back 4 ms by the browser's timer clamping.
async fn yield_now() {
    let promise = js_sys::Promise::new(&mut |resolve, _| match web_sys::MessageChannel::new() {
        Ok(channel) => {
            channel.port1().set_onmessage(Some(resolve.unchecked_ref()));
            let _ = channel.port2().post_message(&JsValue::NULL);
        }
        Err(_) => {
            let _ = scope().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0);
        }
    });
    let _ = JsFuture::from(promise).await;
}

async fn run(id: u64, compiled: Vec<u8>, shard: Shard) {
    let received = now();
    let Some(compiled) = protocol::decode::<CompiledRun>(&compiled) else {
        return reply(&Reply::Refused {
            id,
            problems: vec!["The forecast sent to the worker could not be read.".into()],
        });
    };
    let simulation = Rc::new(Simulation::from_compiled(compiled));
    let range = shard.range(simulation.size());
    let mut tally = simulation.empty();
    let mut start = range.start;
    let mut last_yield = now();
    let mut simulating_ms = 0.0;
    while start < range.end {
        if CURRENT.get() != id {
            return reply(&Reply::Cancelled { id });
        }
        let end = (start + CHUNK).min(range.end);
        let chunk_started = now();
        tally.merge(simulation.run_chunk(start..end));
        simulating_ms += now() - chunk_started;
        start = end;
        reply(&Reply::Progress { id, shard: shard.index, done: (start - range.start) as u32 });
        if now() - last_yield >= YIELD_EVERY_MS {
            yield_now().await;
            last_yield = now();
        }
    }
    if CURRENT.get() != id {
        return reply(&Reply::Cancelled { id });
    }
    if shard.count == 1 {
        let time = ShardTime { total_ms: now() - received, simulating_ms };
        return finish(id, simulation, vec![tally], Some(time), now());
    }
    if shard.index == 0 {
        MERGING.with(|merging| *merging.borrow_mut() = Some((id, Rc::clone(&simulation))));
    }
    let partial = protocol::encode(&tally);
    let time = ShardTime { total_ms: now() - received, simulating_ms };
    reply(&Reply::Part { id, shard: shard.index, partial, time });
}

/// The lead's answer to a run whose shards are all in: their merge (begun
/// at `merging_since`), the pass across contacts, and the simulation kept
/// for the explorer.
fn finish(id: u64, simulation: Rc<Simulation>, partials: Vec<Partial>, lead: Option<ShardTime>, merging_since: f64) {
    match simulation.merge(partials) {
        Some(result) => {
            FINISHED.with(|finished| *finished.borrow_mut() = Some((id, simulation)));
            reply(&Reply::Done { id, result: Box::new(result), lead, merging_ms: now() - merging_since });
        }
        None => reply(&Reply::Refused { id, problems: vec!["The forecast's parts did not fit together.".into()] }),
    }
}

/// The lead merges the parts of run `id`.
fn merge(id: u64, parts: &[Vec<u8>]) {
    let received = now();
    let simulation = MERGING.with(|merging| merging.borrow_mut().take()).filter(|(run, _)| *run == id);
    let Some((_, simulation)) = simulation else {
        return reply(&Reply::Cancelled { id });
    };
    let partials: Option<Vec<Partial>> = parts.iter().map(|part| protocol::decode(part)).collect();
    match partials {
        Some(partials) => finish(id, simulation, partials, None, received),
        None => reply(&Reply::Refused { id, problems: vec!["A part of the forecast could not be read.".into()] }),
    }
}

/// Contact `contact`'s story in finished run `run`.
fn timeline(id: u64, run: u64, contact: u32) -> Reply {
    let started = now();
    let simulation = FINISHED.with(|finished| {
        finished.borrow().as_ref().filter(|(finished, _)| *finished == run).map(|(_, simulation)| Rc::clone(simulation))
    });
    let Some(simulation) = simulation else {
        return Reply::Refused {
            id,
            problems: vec!["That forecast has been replaced; run it again to explore it.".into()],
        };
    };
    match simulation.timeline(contact as usize) {
        Some(timeline) => Reply::Timeline { id, timeline: Box::new(timeline), elapsed_ms: now() - started },
        None => Reply::Refused {
            id,
            problems: vec![format!("There is no contact {contact} in a cohort of {}.", simulation.size())],
        },
    }
}

/// The worker's entry point: listen, then say so.
pub fn start() {
    console_error_panic_hook::set_once();
    let on_message = Closure::<dyn Fn(web_sys::MessageEvent)>::new(|event: web_sys::MessageEvent| {
        let Some(request) = protocol::from_message::<Request>(&event.data()) else {
            return;
        };
        match request {
            Request::Run { id, run: compiled, shard } => {
                CURRENT.set(id);
                wasm_bindgen_futures::spawn_local(run(id, compiled, shard));
            }
            Request::Merge { id, parts } => merge(id, &parts),
            Request::Cancel { id } => {
                if CURRENT.get() == id {
                    CURRENT.set(0);
                }
            }
            Request::Timeline { id, run, contact } => reply(&timeline(id, run, contact)),
        }
    });
    scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    reply(&Reply::Ready);
}
