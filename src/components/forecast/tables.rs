//! The forecast's tables: the email and SMS funnels (their columns are the
//! engine's [`STEP_FUNNEL`] and [`SMS_FUNNEL`], shared with the report and
//! the command line; a click on a row, or its name's button from the
//! keyboard, opens it in the inspector and says so), outcomes
//! by persona and by step, and the detail of the day picked in the sends
//! chart. Counts carry their delta against a pinned baseline.

use leptos::attr::custom::custom_attribute;
use leptos::prelude::*;
use tandem_engine::simulate::figures::{Funnel, SMS_FUNNEL, STEP_FUNNEL, grouped, with_delta};
use tandem_engine::simulate::{Outcomes, SimulationResult, StepFunnel, TouchpointFunnel};
use tandem_engine::{StepId, TouchpointId};

use crate::designer::{Designer, Selection};

/// Both funnels and both outcome tables of a run.
pub(super) fn tables(
    designer: Designer,
    result: &SimulationResult,
    baseline: Option<&SimulationResult>,
) -> impl IntoView + use<> {
    view! {
        {funnel_table(designer, &STEP_TABLE, result, baseline)}
        {funnel_table(designer, &SMS_TABLE, result, baseline)}
        <div class="tables">
            {outcomes_table("Outcomes by persona", "Persona", "outcomes-persona", &result.by_persona)}
            {outcomes_table("Outcomes by nurture step (credited to the last email before them)", "Nurture step", "outcomes-step", &result.by_step)}
        </div>
    }
}

/// What went out on the day picked in the sends chart.
pub(super) fn day_detail(
    result: &SimulationResult,
    baseline: Option<&SimulationResult>,
    selected: RwSignal<Option<u16>>,
) -> impl IntoView + use<> {
    let days = result.sends_per_day.clone();
    let before = baseline.map(|baseline| baseline.sends_per_day.clone());
    move || {
        let day = selected.get()?;
        let sends = days.iter().find(|sends| sends.day == day)?.clone();
        let earlier = before.as_ref().and_then(|days| days.iter().find(|sends| sends.day == day)).cloned();
        let text = format!(
            "Day {day}: {} emails, {} SMS, {} collisions",
            with_delta(sends.email, earlier.as_ref().map(|e| e.email)),
            with_delta(sends.sms, earlier.as_ref().map(|e| e.sms)),
            with_delta(sends.collisions, earlier.as_ref().map(|e| e.collisions)),
        );
        Some(view! {
            <p class="day-detail" data-testid="day-detail">
                {text}
                " "
                <button type="button" class="link" on:click=move |_| selected.set(None)>"Clear"</button>
            </p>
        })
    }
}

/// How one of the engine's funnels sits on the page.
struct FunnelTable<Row: 'static> {
    funnel: &'static Funnel<Row>,
    caption: &'static str,
    testid: &'static str,
    row_testid: &'static str,
    /// The attribute that carries a row's id.
    id_attribute: &'static str,
    /// What a click on a row opens, from the row's id.
    open: fn(String) -> Selection,
}

const STEP_TABLE: FunnelTable<StepFunnel> = FunnelTable {
    funnel: &STEP_FUNNEL,
    caption: "Email funnel per nurture step (a step's name opens it in the inspector)",
    testid: "step-funnel-table",
    row_testid: "step-funnel-row",
    id_attribute: "data-step-id",
    open: |id| Selection::Step(StepId(id)),
};

const SMS_TABLE: FunnelTable<TouchpointFunnel> = FunnelTable {
    funnel: &SMS_FUNNEL,
    caption: "SMS funnel per touchpoint (a touchpoint's name opens it in the inspector)",
    testid: "funnel-table",
    row_testid: "funnel-row",
    id_attribute: "data-touchpoint-id",
    open: |id| Selection::Touchpoint(TouchpointId(id)),
};

fn funnel_table<Row>(
    designer: Designer,
    table: &FunnelTable<Row>,
    result: &SimulationResult,
    baseline: Option<&SimulationResult>,
) -> impl IntoView + use<Row> {
    let funnel = table.funnel;
    let headings = funnel.columns.iter().map(|column| view! { <th>{column.label}</th> }).collect_view();
    let rows = (funnel.rows)(result)
        .iter()
        .map(|row| {
            let before = baseline.and_then(|baseline| funnel.in_run(baseline, row));
            let cells = funnel.cells(row, before).into_iter().map(|cell| view! { <td>{cell}</td> }).collect_view();
            let id = (funnel.id)(row).to_owned();
            let selection = (table.open)(id.clone());
            let name = (funnel.name)(row);
            let opened = format!("{name} is open in the inspector.");
            // A click anywhere on the row opens it; the button in its first
            // cell is the keyboard's way (its click bubbles up to the row).
            view! {
                <tr data-testid=table.row_testid {..custom_attribute(table.id_attribute, id)}
                    on:click=move |_| {
                        designer.select(selection.clone());
                        designer.announcer.say(opened.clone());
                    }>
                    <th scope="row">
                        <button type="button" class="link" data-testid=format!("{}-open", table.row_testid)>{name}</button>
                    </th>
                    {cells}
                </tr>
            }
        })
        .collect_view();
    view! {
        // Tables in the results scroll sideways within themselves: focusable, so the keyboard can.
        <table class="table" tabindex="0" data-testid=table.testid>
            <caption>{table.caption}</caption>
            <thead>
                <tr><th>{funnel.heading}</th>{headings}</tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

fn outcomes_table(
    caption: &'static str,
    heading: &'static str,
    testid: &'static str,
    rows: &[Outcomes],
) -> impl IntoView + use<> {
    let rows = rows
        .iter()
        .map(|outcomes| {
            view! {
                <tr>
                    <th scope="row">{outcomes.label.clone()}</th>
                    <td>{grouped(outcomes.contacts)}</td>
                    <td>{grouped(outcomes.emails)}</td>
                    <td>{grouped(outcomes.sms)}</td>
                    <td>{grouped(outcomes.replies)}</td>
                    <td>{grouped(outcomes.meetings)}</td>
                    <td>{grouped(outcomes.stage_progressions)}</td>
                    <td>{grouped(outcomes.opt_outs + outcomes.unsubscribes)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="table" tabindex="0" data-testid=testid>
            <caption>{caption}</caption>
            <thead>
                <tr><th>{heading}</th><th>"Contacts"</th><th>"Emails"</th><th>"SMS"</th><th>"Replies"</th><th>"Meetings"</th><th>"Stage moves"</th><th>"Opt-outs"</th></tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
}
