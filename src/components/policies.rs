//! The policies panel: when and how often SMS may go. Quiet hours, the
//! legal-window table with each row's days, hours, holidays, notes and
//! source (tighten freely; loosening needs the explicit override, which the
//! engine enforces), folded behind a one-line summary (how many
//! jurisdictions, which are looser than the defaults) so Tab crosses it in
//! one stop until it is opened, caps, collision
//! rules, the reply cooldown, the suppression rule, the `high_intent`
//! definition and the email send time.

use leptos::prelude::*;
use tandem_engine::format::{from_wire_name, wire_name};
use tandem_engine::model::{DayKind, LegalWindow, TimeWindow};
use tandem_engine::validate::{MAX_HOURS, looser_than_defaults};
use tandem_engine::{CapChannel, Edit, FrequencyCap, defaults, legal};

use crate::components::fields::{change_policies, check_input, number_input, time_input, wire_options};
use crate::components::rule_editor::RuleEditor;
use crate::designer::Designer;

const HOURS: (u16, u16) = (0, MAX_HOURS);

fn channel_label(channel: CapChannel) -> &'static str {
    match channel {
        CapChannel::Sms => "SMS",
        CapChannel::Email => "Emails",
        CapChannel::AllChannels => "All messages",
    }
}

/// One kind of day of legal-window row `index`: its hours and, for
/// Saturdays and Sundays, whether it is closed all day. Closing a day
/// tightens; opening one (it opens with the weekday hours) is loosening,
/// which the engine refuses without the override.
fn legal_day(
    designer: Designer,
    index: usize,
    name: String,
    day: DayKind,
    row: impl Fn() -> Option<LegalWindow> + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let key = match day {
        DayKind::Weekday => String::new(),
        DayKind::Saturday => "sat-".into(),
        DayKind::Sunday => "sun-".into(),
    };
    let hours = move || row().and_then(|window| window.hours(day));
    let set = move |change: fn(&mut TimeWindow, u16), minute: u16| {
        change_policies(designer, |policies| {
            let window = &mut policies.legal_windows[index];
            if let Some(mut hours) = window.hours(day) {
                change(&mut hours, minute);
                window.set_hours(day, Some(hours));
            }
        })
    };
    let start = time_input(
        designer,
        format!("legal-{key}start-{index}"),
        format!("{name} {} start", day.label()),
        move || hours().map_or(0, |hours| hours.start_minute),
        move |minute| set(|hours, minute| hours.start_minute = minute, minute),
    );
    let end = time_input(
        designer,
        format!("legal-{key}end-{index}"),
        format!("{name} {} end", day.label()),
        move || hours().map_or(0, |hours| hours.end_minute),
        move |minute| set(|hours, minute| hours.end_minute = minute, minute),
    );
    let closed = (day != DayKind::Weekday).then(|| {
        check_input(
            format!("legal-{key}closed-{index}"),
            "closed".into(),
            move || hours().is_none(),
            move |closed| {
                change_policies(designer, |policies| {
                    let window = &mut policies.legal_windows[index];
                    let opened = Some(window.allowed);
                    window.set_hours(day, if closed { None } else { opened });
                })
            },
        )
    });
    view! {
        <span class="legal-day" data-testid=format!("legal-{key}day-{index}")>
            <span class="day">{day.label()}</span>
            <span class="hours" class:hidden=move || hours().is_none()>{start}" – "{end}</span>
            {closed}
        </span>
    }
}

/// Legal-window row `index` (of jurisdiction `name`): its schedule, each
/// kind of day, holidays, notes and source.
fn legal_row(designer: Designer, index: usize, name: String) -> impl IntoView {
    let row = move || designer.journey.with(|journey| journey.policies.legal_windows.get(index).cloned());
    let days: Vec<_> = DayKind::ALL.into_iter().map(|day| legal_day(designer, index, name.clone(), day, row)).collect();
    let holidays = check_input(
        format!("legal-holidays-{index}"),
        "Closed on holidays".into(),
        move || row().is_some_and(|window| window.closed_on_holidays),
        move |closed| change_policies(designer, |policies| policies.legal_windows[index].closed_on_holidays = closed),
    );
    let notes = move || {
        let window = row()?;
        let noted = legal::windows::row(&window.jurisdiction);
        let notes = [
            window.max_per_24h.map(|max| format!("at most {max} per 24 h")),
            noted.map(|noted| format!("texts: {}, consented contacts: {}", noted.texts.word(), noted.consented.word())),
            noted.filter(|noted| noted.medium_confidence).map(|_| "medium confidence".to_owned()),
            window.closed_on_holidays.then(|| format!("holidays: {}", legal::holidays::describe(&window.jurisdiction))),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ");
        (!notes.is_empty()).then(|| view! { <span class="extra">{notes}</span> })
    };
    let shown = name.clone();
    view! {
        <li class="legal-row" data-testid="legal-row" data-jurisdiction=name>
            <div class="legal-line">
                <strong class="jurisdiction">{shown}</strong>
                <span class="schedule" data-testid=format!("legal-schedule-{index}")>
                    {move || row().map(|window| window.schedule()).unwrap_or_default()}
                </span>
            </div>
            <div class="legal-days">{days}{holidays}</div>
            {notes}
            <span class="source">{move || row().map(|window| window.source).unwrap_or_default()}</span>
        </li>
    }
}

#[component]
pub fn PoliciesPanel(designer: Designer) -> impl IntoView {
    let policies = move || designer.journey.with(|journey| journey.policies.clone());
    let quiet_on = move || policies().quiet_hours.is_some();
    let quiet = move || policies().quiet_hours.unwrap_or(defaults::QUIET_HOURS);

    // Rows are rebuilt only when the jurisdictions change, so an edit in
    // one leaves focus where it was; each row follows the journey itself.
    let jurisdictions = Memo::new(move |_| {
        designer.journey.with(|journey| {
            journey.policies.legal_windows.iter().map(|window| window.jurisdiction.to_string()).collect::<Vec<_>>()
        })
    });
    let legal_rows = move || {
        jurisdictions.get().into_iter().enumerate().map(|(index, name)| legal_row(designer, index, name)).collect_view()
    };
    let legal_summary = move || {
        designer.journey.with(|journey| {
            let windows = &journey.policies.legal_windows;
            let mut loosened: Vec<String> =
                looser_than_defaults(windows).into_iter().map(|(jurisdiction, _)| jurisdiction.to_string()).collect();
            loosened.dedup();
            let looser = if loosened.is_empty() {
                "none looser than the legal defaults".to_owned()
            } else {
                format!("looser than the legal defaults: {}", loosened.join(", "))
            };
            format!("{} jurisdictions, {looser}", windows.len())
        })
    };

    let cap_count = Memo::new(move |_| designer.journey.with(|journey| journey.policies.caps.len()));
    let cap_rows = move || {
        (0..cap_count.get())
            .map(|index| {
                let cap = move || designer.journey.with(|journey| journey.policies.caps.get(index).copied());
                let channel = view! {
                    <select
                        aria-label="Counts"
                        data-testid=format!("cap-channel-{index}")
                        prop:value=move || wire_name(cap().map_or(CapChannel::Sms, |cap| cap.channel))
                        on:change=move |event| {
                            if let Some(channel) = from_wire_name(&event_target_value(&event)) {
                                change_policies(designer, |policies| policies.caps[index].channel = channel);
                            }
                        }
                    >
                        {wire_options(channel_label)
                            .into_iter()
                            .map(|(value, label)| view! { <option value=value>{label}</option> })
                            .collect_view()}
                    </select>
                };
                let max = number_input(
                    designer,
                    format!("cap-max-{index}"),
                    "Most messages".into(),
                    (1, 1000),
                    move || cap().map_or(1, |cap| cap.max_messages),
                    move |max| change_policies(designer, |policies| policies.caps[index].max_messages = max),
                );
                let window = number_input(
                    designer,
                    format!("cap-hours-{index}"),
                    "Window in hours".into(),
                    (1, MAX_HOURS),
                    move || cap().map_or(1, |cap| cap.window_hours),
                    move |hours| change_policies(designer, |policies| policies.caps[index].window_hours = hours),
                );
                view! {
                    <li class="cap" data-testid="cap-row">
                        {channel}" at most "{max}" per "{window}" h"
                        <button type="button" class="link danger" data-testid=format!("cap-remove-{index}")
                            on:click=move |_| change_policies(designer, |policies| { policies.caps.remove(index); })>
                            "Remove"
                        </button>
                    </li>
                }
            })
            .collect_view()
    };
    let add_cap = move |_| {
        change_policies(designer, |policies| {
            policies.caps.push(FrequencyCap { channel: CapChannel::Sms, max_messages: 1, window_hours: 24 })
        })
    };

    let suppression = Signal::derive(move || designer.journey.with(|journey| journey.policies.suppression.clone()));
    let set_suppression = Callback::new(move |(text, typing): (String, bool)| {
        let mut policies = designer.journey.with_untracked(|journey| journey.policies.clone());
        policies.suppression = text;
        let edit = Edit::SetPolicies { policies };
        let _ = if typing { designer.type_into(edit, "edit-suppression") } else { designer.edit(edit) };
    });
    let high_intent = Signal::derive(move || designer.journey.with(|journey| journey.high_intent.clone()));
    let set_high_intent = Callback::new(move |(text, typing): (String, bool)| {
        let edit = Edit::SetHighIntent { definition: text };
        let _ = if typing { designer.type_into(edit, "edit-high-intent") } else { designer.edit(edit) };
    });

    view! {
        <div class="settings" data-testid="policies-panel">
            <section>
                <h3>"Send times"</h3>
                <div class="setting">
                    <span>"Nurture emails go out at"</span>
                    {time_input(
                        designer,
                        "email-send-time".into(),
                        "Email send time".into(),
                        move || designer.journey.with(|journey| journey.email_send_minute),
                        move |minute| { let _ = designer.edit(Edit::SetEmailSendMinute { minute }); },
                    )}
                    <span>"in each contact's time zone"</span>
                </div>
                <div class="setting">
                    {check_input(
                        "quiet-hours-on".into(),
                        "Quiet hours: no SMS from".into(),
                        quiet_on,
                        move |on| change_policies(designer, |policies| {
                            policies.quiet_hours = on.then_some(defaults::QUIET_HOURS)
                        }),
                    )}
                    {time_input(
                        designer,
                        "quiet-start".into(),
                        "Quiet hours start".into(),
                        move || quiet().start_minute,
                        move |minute| change_policies(designer, |policies| {
                            let mut window = policies.quiet_hours.unwrap_or(defaults::QUIET_HOURS);
                            window.start_minute = minute;
                            policies.quiet_hours = Some(window);
                        }),
                    )}
                    " to "
                    {time_input(
                        designer,
                        "quiet-end".into(),
                        "Quiet hours end".into(),
                        move || quiet().end_minute,
                        move |minute| change_policies(designer, |policies| {
                            let mut window = policies.quiet_hours.unwrap_or(defaults::QUIET_HOURS);
                            window.end_minute = minute;
                            policies.quiet_hours = Some(window);
                        }),
                    )}
                    <span>"(recipient's local time)"</span>
                </div>
            </section>
            <section>
                <h3>"Legal windows"</h3>
                <p class="hint">
                    "When marketing SMS may reach a recipient, read in the phone's time zone and, if it differs, the profile's. Tighten any window freely; loosening one below Tandem's defaults needs the override."
                </p>
                // Collapsed, the table is one stop for Tab rather than hundreds.
                <details class="legal-windows" data-testid="legal-windows">
                    <summary data-testid="legal-windows-toggle">
                        "By jurisdiction: "<span data-testid="legal-summary">{legal_summary}</span>
                    </summary>
                    <ul class="legal">{legal_rows}</ul>
                </details>
                {check_input(
                    "loosen-override".into(),
                    "Override: allow looser windows than the legal defaults (recorded in exports)".into(),
                    move || policies().loosen_legal_windows,
                    move |on| change_policies(designer, |policies| policies.loosen_legal_windows = on),
                )}
            </section>
            <section>
                <h3>"Frequency caps"</h3>
                <ul class="caps">{cap_rows}</ul>
                <button type="button" class="tool" data-testid="cap-add" on:click=add_cap>"Add a cap"</button>
            </section>
            <section>
                <h3>"Collisions and cooldown"</h3>
                <div class="setting">
                    "No SMS within "
                    {number_input(designer, "after-email-hours".into(), "Hours after an email".into(), HOURS,
                        move || policies().collisions.sms_after_email_hours,
                        move |hours| change_policies(designer, |policies| policies.collisions.sms_after_email_hours = hours))}
                    " h after a nurture email"
                </div>
                {check_input(
                    "high-intent-exempt".into(),
                    "…unless the contact is high intent".into(),
                    move || policies().collisions.high_intent_exempt,
                    move |on| change_policies(designer, |policies| policies.collisions.high_intent_exempt = on),
                )}
                <div class="setting">
                    "At least "
                    {number_input(designer, "sms-gap-hours".into(), "Hours between SMS".into(), HOURS,
                        move || policies().collisions.min_hours_between_sms,
                        move |hours| change_policies(designer, |policies| policies.collisions.min_hours_between_sms = hours))}
                    " h between two SMS to one contact"
                </div>
                <div class="setting">
                    "No SMS for "
                    {number_input(designer, "cooldown-hours".into(), "Reply cooldown hours".into(), HOURS,
                        move || policies().reply_cooldown_hours,
                        move |hours| change_policies(designer, |policies| policies.reply_cooldown_hours = hours))}
                    " h after a contact replies"
                </div>
            </section>
            <section>
                <h3>"Who gets no SMS"</h3>
                <RuleEditor designer label="Suppression (besides everyone who opted out)" testid="edit-suppression" text=suppression set=set_suppression />
                <RuleEditor designer label="What high_intent means" testid="edit-high-intent" text=high_intent set=set_high_intent />
            </section>
        </div>
    }
}

#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests {
    use tandem_engine::samples;
    use wasm_bindgen_test::wasm_bindgen_test;

    use super::*;
    use crate::components::test_page::{choose, enter, find, mount, option_values};

    async fn open() -> (Designer, web_sys::HtmlElement) {
        let designer = Designer::new(samples::playbook());
        let host = mount(move || view! { <PoliciesPanel designer /> });
        leptos::task::tick().await;
        (designer, host)
    }

    #[wasm_bindgen_test]
    async fn cap_channels_are_offered_and_chosen_by_wire_name() {
        let (designer, host) = open().await;
        assert_eq!(option_values(&host, "cap-channel-0"), ["sms", "email", "all_channels"]);
        let first = designer.journey.with_untracked(|journey| journey.policies.caps[0].channel);
        assert_eq!(find::<web_sys::HtmlSelectElement>(&host, "cap-channel-0").value(), wire_name(first));

        choose(&host, "cap-channel-0", "all_channels").await;
        let chosen = designer.journey.with_untracked(|journey| journey.policies.caps[0].channel);
        assert_eq!(chosen, CapChannel::AllChannels);
    }

    #[wasm_bindgen_test]
    async fn hours_are_written_within_the_engines_limit() {
        let (designer, host) = open().await;
        enter(&host, "cooldown-hours", "48").await;
        assert_eq!(designer.journey.with_untracked(|journey| journey.policies.reply_cooldown_hours), 48);

        enter(&host, "cooldown-hours", &(MAX_HOURS + 1).to_string()).await;
        assert_eq!(designer.journey.with_untracked(|journey| journey.policies.reply_cooldown_hours), 48);
        let notice = designer.notice.get_untracked().unwrap_or_default();
        assert!(notice.contains(&format!("from 0 to {MAX_HOURS}")), "{notice}");
    }

    #[wasm_bindgen_test]
    async fn quiet_hours_come_back_as_the_engines_default() {
        let (designer, host) = open().await;
        let quiet = move || designer.journey.with_untracked(|journey| journey.policies.quiet_hours);
        let toggle: web_sys::HtmlElement = find(&host, "quiet-hours-on");
        toggle.click();
        leptos::task::tick().await;
        assert_eq!(quiet(), None);
        toggle.click();
        leptos::task::tick().await;
        assert_eq!(quiet(), Some(defaults::QUIET_HOURS));
        assert_eq!(find::<web_sys::HtmlInputElement>(&host, "quiet-start").value(), "20:00");
    }
}
