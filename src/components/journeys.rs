//! The journeys menu: every journey saved in this browser (open, duplicate,
//! delete with a second click to confirm) and new journeys from templates.
//! Opening it moves focus to its first heading and Escape closes it
//! ([`Popup`]). The button and the panel's heading are drawn at once; the
//! list and the templates are fetched a moment after first paint
//! ([`lazy_parts`]).

use leptos::prelude::*;

use crate::components::popup::Popup;
use crate::designer::Designer;
use crate::lazy_parts;
use crate::library::{open_new, open_saved, templates};
use crate::storage::{self, Saved};

/// The saved journeys, listed again; entries that cannot be read are set
/// aside and reported.
fn refresh(designer: Designer, listing: RwSignal<Vec<Saved>>) {
    let (saved, set_aside) = storage::saved();
    listing.set(saved);
    if !set_aside.is_empty() {
        designer.notice.set(Some(set_aside.join(" ")));
    }
}

#[component]
pub fn JourneysMenu(designer: Designer) -> impl IntoView {
    let open = RwSignal::new(false);
    let popup = Popup::new(open);
    let listing = RwSignal::new(Vec::<Saved>::new());
    let confirming = RwSignal::new(None::<String>);
    let toggle = move |_| {
        if !open.get_untracked() {
            refresh(designer, listing);
        }
        confirming.set(None);
        open.update(|open| *open = !*open);
    };
    view! {
        <div class="menu" on:keydown=popup.close_on_escape()>
            <button type="button" class="tool" data-testid="journeys-button" node_ref=popup.opener aria-expanded=move || open.get().to_string()
                on:click=toggle>"Journeys"</button>
            <Show when=move || open.get()>
                <div class="menu-panel" data-testid="journeys-menu" node_ref=popup.panel role="dialog" aria-label="Journeys">
                    <h2 class="panel-title" tabindex="-1">"Saved in this browser"</h2>
                    {move || lazy_parts::draw(|| journeys_panel(designer, open, listing, confirming))}
                </div>
            </Show>
        </div>
    }
}

/// What the journeys menu holds under its heading: the saved journeys in
/// `listing` (a delete asks again while `confirming` names it) and the
/// templates a new journey starts from.
#[cfg_attr(tandem_split, leptos::lazy)]
pub(crate) async fn journeys_panel(
    designer: Designer,
    open: RwSignal<bool>,
    listing: RwSignal<Vec<Saved>>,
    confirming: RwSignal<Option<String>>,
) -> AnyView {
    let open_saved = move |id: String| match storage::load(&id) {
        Ok(Some(journey)) => {
            open_saved(&designer, id, journey);
            open.set(false);
        }
        Ok(None) => designer.notice.set(Some("That journey is no longer saved in this browser.".into())),
        Err(notice) => {
            designer.notice.set(Some(notice));
            refresh(designer, listing);
        }
    };
    let duplicate = move |id: String| {
        if let Ok(Some(mut journey)) = storage::load(&id) {
            journey.name = format!("Copy of {}", journey.name);
            let notice = format!("Opened “{}”.", journey.name);
            open_new(&designer, journey, notice);
            open.set(false);
        }
    };
    let delete = move |id: String| {
        if confirming.get_untracked().as_deref() == Some(id.as_str()) {
            storage::remove(&id);
            confirming.set(None);
            refresh(designer, listing);
        } else {
            confirming.set(Some(id));
        }
    };
    let rows = move || {
        let current = designer.open_id.get();
        listing
            .get()
            .into_iter()
            .map(|saved| {
                let is_open = saved.id == current;
                let (for_open, for_duplicate, for_delete, for_confirm) =
                    (saved.id.clone(), saved.id.clone(), saved.id.clone(), saved.id.clone());
                let asking = move || confirming.get().as_deref() == Some(for_confirm.as_str());
                view! {
                    <li class="saved" class:current=is_open data-testid="saved-journey" data-journey-id=saved.id.clone()>
                        <span class="saved-name">{saved.name.clone()}</span>
                        {is_open.then(|| view! { <span class="badge">"open"</span> })}
                        <span class="saved-actions">
                            <button type="button" class="link" data-testid="open-journey" disabled=is_open
                                on:click=move |_| open_saved(for_open.clone())>"Open"</button>
                            <button type="button" class="link" data-testid="duplicate-journey"
                                on:click=move |_| duplicate(for_duplicate.clone())>"Duplicate"</button>
                            <button type="button" class="link danger" data-testid="delete-journey" disabled=is_open
                                title=if is_open { "Open another journey to delete this one" } else { "Delete" }
                                on:click=move |_| delete(for_delete.clone())>
                                {move || if asking() { "Delete for good?" } else { "Delete" }}
                            </button>
                        </span>
                    </li>
                }
            })
            .collect_view()
    };
    let new_buttons = move || {
        templates()
            .into_iter()
            .map(|(name, label, journey)| {
                view! {
                    <button type="button" class="tool" data-testid=format!("new-{name}")
                        on:click=move |_| {
                            let journey = journey.clone();
                            let notice = format!("Started a new journey from “{label}”.");
                            open_new(&designer, journey, notice);
                            open.set(false);
                        }>{label}</button>
                }
            })
            .collect_view()
    };
    view! {
        <ul class="saved-list">{rows}</ul>
        <h2 class="panel-title">"New journey"</h2>
        <div class="menu-actions">{new_buttons()}</div>
    }
    .into_any()
}
