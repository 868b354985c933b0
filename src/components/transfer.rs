//! Journeys in and out. *Export* opens a panel: the `.tandem.json` download,
//! the JSON to copy, and exports for Klaviyo, PostHog and Dittofeed, which
//! list what the target will not enforce before the download is offered.
//! *Import* takes a picked, dropped or pasted file; a document with problems
//! changes nothing, and every problem is listed with its JSON path and,
//! inside rules, its characters. *Copy link* puts the journey, compressed,
//! in the address's fragment, which never reaches a server. Escape closes
//! either panel ([`Popup`]); a refused import's problems are announced.
//! The buttons and the panels' headings are drawn at once; what the panels
//! hold is fetched a moment after first paint ([`lazy_parts`]).

use leptos::prelude::*;
use leptos::task::spawn_local;
use tandem_engine::export::{self, Export, Mapping, Target};
use tandem_engine::{Journey, format};

use crate::components::popup::Popup;
use crate::designer::Designer;
use crate::files;
use crate::{lazy_parts, library};

/// Imports `text`, or shows its problems in the dialog.
pub fn import_into(designer: Designer, text: &str) {
    match library::import(&designer, text) {
        Ok(()) => {
            designer.import_problems.set(Vec::new());
            designer.transfer_open.set(false);
        }
        Err(problems) => {
            designer.announcer.say(format!(
                "Nothing was imported: {}. The open journey is unchanged.",
                library::summarise(&problems)
            ));
            designer.import_problems.set(problems);
            designer.transfer_open.set(true);
        }
    }
}

/// Reads a picked or dropped file and imports it.
pub fn import_file(designer: Designer, file: web_sys::File) {
    spawn_local(async move {
        match files::read(file).await {
            Ok(text) => import_into(designer, &text),
            Err(why) => designer.notice.set(Some(format!("Nothing was imported: {why}."))),
        }
    });
}

/// `journey` exported for `target`: the exporters are fetched the first
/// time one is asked for.
#[cfg_attr(tandem_split, leptos::lazy)]
pub(crate) async fn export_for(journey: Journey, target: Target, ids: Mapping) -> Export {
    export::export(&journey, target, &ids)
}

/// `journey` compressed into a link's fragment; the compressor is fetched
/// the first time.
#[cfg_attr(tandem_split, leptos::lazy)]
pub(crate) async fn journey_link(journey: Journey) -> String {
    format::to_link(&journey)
}

/// Puts `text` on the clipboard and says so, or how to copy it by hand.
fn copy(designer: Designer, text: String, what: &'static str) {
    spawn_local(async move {
        let notice = match files::copy(&text).await {
            Ok(()) => format!("Copied the {what} to the clipboard."),
            Err(why) => format!("Could not copy the {what} ({why}); select it in the dialog and copy it by hand."),
        };
        designer.notice.set(Some(notice));
    });
}

#[component]
pub fn Transfer(designer: Designer) -> impl IntoView {
    let pasted = RwSignal::new(String::new());
    let export_open = RwSignal::new(false);
    let mapping = RwSignal::new(String::new());
    let for_target = RwSignal::new(None);
    let (import_popup, export_popup) = (Popup::new(designer.transfer_open), Popup::new(export_open));
    let copy_link = move |_| {
        let journey = designer.journey.get_untracked();
        spawn_local(async move {
            let link = journey_link(journey).await;
            let Some(address) = files::address_with_fragment(&format!("{}{link}", files::LINK_FRAGMENT)) else {
                return;
            };
            designer.share_link.set(Some(address.clone()));
            designer.transfer_open.set(true);
            copy(designer, address, "link");
        });
    };
    view! {
        <div class="transfer" on:keydown=move |event| {
            import_popup.close_on_escape()(event.clone());
            export_popup.close_on_escape()(event);
        }>
            <button type="button" class="tool" data-testid="import" node_ref=import_popup.opener aria-expanded=move || designer.transfer_open.get().to_string()
                on:click=move |_| {
                    export_open.set(false);
                    designer.transfer_open.update(|open| *open = !*open);
                }>
                "Import"
            </button>
            <button type="button" class="tool" data-testid="export" node_ref=export_popup.opener aria-expanded=move || export_open.get().to_string()
                on:click=move |_| {
                    designer.transfer_open.set(false);
                    export_open.update(|open| *open = !*open);
                }>
                "Export"
            </button>
            <button type="button" class="tool" data-testid="copy-link" on:click=copy_link>"Copy link"</button>
            <Show when=move || designer.transfer_open.get()>
                <div class="menu-panel transfer-panel" data-testid="transfer-dialog" node_ref=import_popup.panel role="dialog" aria-label="Import and share">
                    <h2 class="panel-title" tabindex="-1">"Import a journey"</h2>
                    {move || lazy_parts::draw(|| import_panel(designer, pasted))}
                </div>
            </Show>
            <Show when=move || export_open.get()>
                <div class="menu-panel transfer-panel" data-testid="export-dialog" node_ref=export_popup.panel role="dialog" aria-label="Export">
                    <h2 class="panel-title" tabindex="-1">"Export this journey"</h2>
                    {move || lazy_parts::draw(|| export_panel(designer, export_open, mapping, for_target))}
                </div>
            </Show>
        </div>
    }
}

/// What the Import panel holds under its heading: the file picker, the
/// text to paste (kept in `pasted` while the panel is closed), a refused
/// import's problems and the link Copy link made.
#[cfg_attr(tandem_split, leptos::lazy)]
pub(crate) async fn import_panel(designer: Designer, pasted: RwSignal<String>) -> AnyView {
    let pick = move |event: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&event);
        if let Some(file) = input.files().and_then(|files| files.get(0)) {
            import_file(designer, file);
        }
        input.set_value("");
    };
    let problems = move || {
        designer
            .import_problems
            .get()
            .into_iter()
            .map(|problem| {
                let path = if problem.path.is_empty() { "/".to_owned() } else { problem.path.clone() };
                let span = problem.rule_span.map(|(start, end)| format!(" (characters {start}–{end} of the rule)"));
                view! {
                    <li data-testid="import-problem">
                        <code>{path}</code>
                        {span}
                        ": "
                        {problem.message.clone()}
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <p class="hint">"Pick a .tandem.json file, drop one anywhere on the page, or paste its text. It opens as a new journey; the one open now stays saved."</p>
        <label class="file-field">
            "Journey file"
            <input type="file" accept=".json,application/json" data-testid="import-file" on:change=pick />
        </label>
        <textarea
            data-testid="import-paste"
            aria-label="The journey's JSON, pasted"
            rows="4"
            placeholder="Paste a journey's JSON here"
            prop:value=move || pasted.get()
            on:input=move |event| pasted.set(event_target_value(&event))
        ></textarea>
        <div class="menu-actions">
            <button type="button" class="tool" data-testid="import-paste-button"
                on:click=move |_| import_into(designer, &pasted.get_untracked())>"Import pasted text"</button>
            <button type="button" class="tool" data-testid="transfer-close" on:click=move |_| designer.transfer_open.set(false)>"Close"</button>
        </div>
        <Show when=move || !designer.import_problems.with(Vec::is_empty)>
            <div class="import-problems" data-testid="import-problems">
                <p>
                    {move || format!(
                        "Nothing was imported: the document has {} problem{}. The open journey is unchanged.",
                        designer.import_problems.with(Vec::len),
                        if designer.import_problems.with(Vec::len) == 1 { "" } else { "s" },
                    )}
                </p>
                <ul>{problems}</ul>
            </div>
        </Show>
        {move || designer.share_link.get().map(|link| view! {
            <label class="field">
                <span class="field-label">"Link to this journey (opens as a copy; nothing is uploaded)"</span>
                <input type="text" readonly data-testid="share-link" prop:value=link />
            </label>
        })}
    }
    .into_any()
}

/// What the Export panel holds under its heading: the Tandem file to
/// download or copy, and the exports for execution systems with the
/// account `mapping` they use and what the chosen target will not enforce
/// (`for_target`), both kept while the panel is closed.
#[cfg_attr(tandem_split, leptos::lazy)]
pub(crate) async fn export_panel(
    designer: Designer,
    open: RwSignal<bool>,
    mapping: RwSignal<String>,
    for_target: RwSignal<Option<(Target, Export)>>,
) -> AnyView {
    let download_tandem = move |_| {
        let (name, text) =
            designer.journey.with_untracked(|journey| (files::file_name(&journey.name), format::export(journey)));
        match files::download(&name, &text) {
            Ok(()) => {
                designer.notice.set(Some(format!("Exported {name}.")));
                open.set(false);
            }
            Err(why) => designer.notice.set(Some(format!("Could not export: {why}."))),
        }
    };
    let copy_json = move |_| copy(designer, designer.journey.with_untracked(format::export), "journey JSON");
    let prepare = move |target: Target| match Mapping::from_json(&mapping.get_untracked()) {
        Ok(ids) => {
            let journey = designer.journey.get_untracked();
            spawn_local(async move { for_target.set(Some((target, export_for(journey, target, ids).await))) });
        }
        Err(why) => designer.notice.set(Some(format!("Could not read the mapping: {why}."))),
    };
    let download_for_target = move |_| {
        let Some((target, exported)) = for_target.get_untracked() else { return };
        let name = designer
            .journey
            .with_untracked(|journey| files::file_name(&journey.name))
            .replace(".tandem.json", &format!(".{}.json", target.key()));
        match files::download(&name, &exported.document) {
            Ok(()) => designer.notice.set(Some(format!("Exported {name} for {}.", target.label()))),
            Err(why) => designer.notice.set(Some(format!("Could not export: {why}."))),
        }
    };
    let target_buttons = move || {
        Target::ALL
        .map(|target| view! {
            <button type="button" class="tool" data-testid=format!("export-target-{}", target.key()) on:click=move |_| prepare(target)>
                {format!("For {}", target.label())}
            </button>
        })
        .collect_view()
    };
    view! {
        <p class="hint">"As a Tandem file (tandem.journey/v1, with its JSON Schema) to keep, share or import again."</p>
        <div class="menu-actions">
            <button type="button" class="tool" data-testid="export-tandem" on:click=download_tandem>"Download .tandem.json"</button>
            <button type="button" class="tool" data-testid="copy-json" on:click=copy_json>"Copy this journey's JSON"</button>
            <button type="button" class="tool" data-testid="export-close" on:click=move |_| open.set(false)>"Close"</button>
        </div>
        <h2 class="panel-title">"For an execution system"</h2>
        <p class="hint">"Account identifiers (lists, segments, metrics, templates) come from a JSON mapping such as {\"template.welcome\": \"abc123\"}; missing ones become placeholders named TANDEM_UNMAPPED:…"</p>
        <textarea
            data-testid="export-mapping"
            aria-label="Mapping of account identifiers (JSON)"
            rows="2"
            placeholder="Mapping JSON (optional)"
            prop:value=move || mapping.get()
            on:input=move |event| mapping.set(event_target_value(&event))
        ></textarea>
        <div class="menu-actions">{target_buttons}</div>
        {move || for_target.get().map(|(target, exported)| {
            let count = exported.not_carried.len();
            let items = exported
                .not_carried
                .into_iter()
                .map(|item| view! { <li data-testid="not-carried-item">{item.to_string()}</li> })
                .collect_view();
            view! {
                <div class="import-problems" data-testid="not-carried">
                    <p>{format!("{} will not enforce {} item{} of this journey; set them up by hand:", target.label(), count, if count == 1 { "" } else { "s" })}</p>
                    <ul>{items}</ul>
                    <button type="button" class="tool" data-testid="export-target-download" on:click=download_for_target>
                        {format!("Download for {}", target.label())}
                    </button>
                </div>
            }
        })}
    }
    .into_any()
}
