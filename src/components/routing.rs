//! The routing panel: who in Sales answers replies, when, and how fast.
//! Owners with their time zones, territories and coverage hours, how a
//! reply finds an owner, the backup owner, the SLA per cohort, and a
//! preview of the handoff card Sales will see, with the chosen fields.

use leptos::prelude::*;
use tandem_engine::format::{from_wire_name, wire_name};
use tandem_engine::places::TIME_ZONES;
use tandem_engine::validate::MAX_SLA_MINUTES;
use tandem_engine::{Assignment, HandoffField, OwnerId, defaults};

use crate::components::fields::{change_routing, check_input, number_input, time_input, wire_options};
use crate::designer::Designer;

fn field_label(field: HandoffField) -> &'static str {
    match field {
        HandoffField::Persona => "Persona",
        HandoffField::Stage => "Stage",
        HandoffField::LastNurtureStep => "Last nurture email",
        HandoffField::LastMessage => "Last message",
        HandoffField::RecommendedNextStep => "Recommended next step",
        HandoffField::Owner => "Owner",
    }
}

fn assignment_label(assignment: Assignment) -> &'static str {
    match assignment {
        Assignment::AccountOwner => "The contact's account owner",
        Assignment::RoundRobinByTerritory => "Round robin within the contact's territory",
    }
}

#[component]
pub fn RoutingPanel(designer: Designer) -> impl IntoView {
    let routing = move || designer.journey.with(|journey| journey.routing.clone());
    let owner_rows = move || {
        let owners = routing().owners;
        (0..owners.len())
            .map(|index| {
                let owner = move || designer.journey.with(|journey| journey.routing.owners.get(index).cloned());
                let name = view! {
                    <input
                        type="text"
                        aria-label="Owner name"
                        data-testid=format!("owner-name-{index}")
                        prop:value=move || owner().map(|owner| owner.name).unwrap_or_default()
                        on:change=move |event| {
                            let name = event_target_value(&event);
                            change_routing(designer, |routing| routing.owners[index].name = name);
                        }
                    />
                };
                let zone = view! {
                    <select
                        aria-label="Time zone"
                        data-testid=format!("owner-zone-{index}")
                        prop:value=move || owner().map(|owner| owner.time_zone).unwrap_or_default()
                        on:change=move |event| {
                            let zone = event_target_value(&event);
                            change_routing(designer, |routing| routing.owners[index].time_zone = zone);
                        }
                    >
                        {TIME_ZONES.iter().map(|zone| view! { <option value=*zone>{*zone}</option> }).collect_view()}
                    </select>
                };
                let territory = view! {
                    <input
                        type="text"
                        class="short"
                        aria-label="Territory"
                        data-testid=format!("owner-territory-{index}")
                        prop:value=move || owner().map(|owner| owner.territory).unwrap_or_default()
                        on:change=move |event| {
                            let territory = event_target_value(&event);
                            change_routing(designer, |routing| routing.owners[index].territory = territory);
                        }
                    />
                };
                let start = time_input(
                    designer,
                    format!("owner-start-{index}"),
                    "Coverage starts".into(),
                    move || owner().map_or(0, |owner| owner.coverage.start_minute),
                    move |minute| {
                        change_routing(designer, |routing| routing.owners[index].coverage.start_minute = minute)
                    },
                );
                let end = time_input(
                    designer,
                    format!("owner-end-{index}"),
                    "Coverage ends".into(),
                    move || owner().map_or(0, |owner| owner.coverage.end_minute),
                    move |minute| {
                        change_routing(designer, |routing| routing.owners[index].coverage.end_minute = minute)
                    },
                );
                let weekdays = check_input(
                    format!("owner-weekdays-{index}"),
                    "weekdays only".into(),
                    move || owner().is_some_and(|owner| owner.weekdays_only),
                    move |on| change_routing(designer, |routing| routing.owners[index].weekdays_only = on),
                );
                view! {
                    <li class="owner" data-testid="owner-row">
                        <div class="owner-line">{name}{zone}</div>
                        <div class="owner-line">"Territory "{territory}" covers "{start}"–"{end}{weekdays}
                            <button type="button" class="link danger" data-testid=format!("owner-remove-{index}")
                                on:click=move |_| change_routing(designer, |routing| {
                                    let removed = routing.owners.remove(index);
                                    if routing.backup_owner.as_ref() == Some(&removed.id) {
                                        routing.backup_owner = None;
                                    }
                                })>"Remove"</button>
                        </div>
                    </li>
                }
            })
            .collect_view()
    };
    let add_owner = move |_| {
        change_routing(designer, |routing| {
            let owner = defaults::new_owner(routing);
            routing.owners.push(owner);
        })
    };
    let backup_options = move || {
        std::iter::once((String::new(), "No backup".to_owned()))
            .chain(routing().owners.into_iter().map(|owner| (owner.id.0, owner.name)))
            .map(|(id, name)| view! { <option value=id>{name}</option> })
            .collect_view()
    };
    let field_checks = HandoffField::ALL
        .into_iter()
        .map(|field| {
            check_input(
                format!("handoff-{field:?}"),
                field_label(field).into(),
                move || designer.journey.with(|journey| journey.routing.handoff_fields.contains(&field)),
                move |on| {
                    change_routing(designer, |routing| {
                        routing.handoff_fields.retain(|known| *known != field);
                        if on {
                            routing.handoff_fields.push(field);
                            routing.handoff_fields.sort();
                        }
                    })
                },
            )
        })
        .collect_view();
    let preview = move || {
        designer.journey.with(|journey| {
            let step = journey.steps.iter().max_by_key(|step| step.day);
            let touchpoint = journey.touchpoints.first();
            let owner = journey.routing.owners.first().map_or("(no owner)".to_owned(), |owner| owner.name.clone());
            journey
                .routing
                .handoff_fields
                .iter()
                .map(|field| {
                    let value = match field {
                        HandoffField::Persona => "RevOps".to_owned(),
                        HandoffField::Stage => "SQL".to_owned(),
                        HandoffField::LastNurtureStep => step.map_or("—".to_owned(), |step| step.name.clone()),
                        HandoffField::LastMessage => {
                            touchpoint.map_or("—".to_owned(), |touchpoint| touchpoint.body.clone())
                        }
                        HandoffField::RecommendedNextStep => {
                            step.map_or("—".to_owned(), |step| step.narrative.next_step.clone())
                        }
                        HandoffField::Owner => owner.clone(),
                    };
                    view! {
                        <div class="handoff-field">
                            <dt>{field_label(*field)}</dt>
                            <dd>{value}</dd>
                        </div>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <div class="settings" data-testid="routing-panel">
            <section>
                <h3 id="assignment-heading">"How a reply finds an owner"</h3>
                <select
                    data-testid="assignment"
                    aria-labelledby="assignment-heading"
                    prop:value=move || wire_name(routing().assignment)
                    on:change=move |event| {
                        if let Some(assignment) = from_wire_name(&event_target_value(&event)) {
                            change_routing(designer, |routing| routing.assignment = assignment);
                        }
                    }
                >
                    {wire_options(assignment_label)
                        .into_iter()
                        .map(|(value, label)| view! { <option value=value>{label}</option> })
                        .collect_view()}
                </select>
                <label class="setting">
                    "Backup owner "
                    <select
                        data-testid="backup-owner"
                        prop:value=move || routing().backup_owner.map(|id| id.0).unwrap_or_default()
                        on:change=move |event| {
                            let id = event_target_value(&event);
                            change_routing(designer, |routing| routing.backup_owner = (!id.is_empty()).then_some(OwnerId(id)));
                        }
                    >
                        {backup_options}
                    </select>
                </label>
            </section>
            <section>
                <h3>"Owners"</h3>
                <ul class="owners">{owner_rows}</ul>
                <button type="button" class="tool" data-testid="owner-add" on:click=add_owner>"Add an owner"</button>
            </section>
            <section>
                <h3>"Answer within"</h3>
                <div class="setting">
                    {number_input(designer, "sla-high-intent".into(), "SLA for high-intent replies (minutes)".into(), (1, MAX_SLA_MINUTES),
                        move || routing().sla_minutes_high_intent,
                        move |minutes| change_routing(designer, |routing| routing.sla_minutes_high_intent = minutes))}
                    " minutes for high-intent contacts, "
                    {number_input(designer, "sla-other".into(), "SLA for other replies (minutes)".into(), (1, MAX_SLA_MINUTES),
                        move || routing().sla_minutes_other,
                        move |minutes| change_routing(designer, |routing| routing.sla_minutes_other = minutes))}
                    " for the rest"
                </div>
            </section>
            <section>
                <h3>"Handoff card"</h3>
                <div class="handoff-fields">{field_checks}</div>
                <div class="handoff-card" data-testid="handoff-preview" role="group" aria-label="Preview of the handoff card">
                    <p class="handoff-title">"New reply — example contact"</p>
                    <dl class="handoff-values">{preview}</dl>
                </div>
            </section>
        </div>
    }
}
