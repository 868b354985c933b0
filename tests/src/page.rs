//! What a test does with the app, in a person's terms: find things by their
//! stable `data-testid`, click, type, press keys, drag with the pointer,
//! read text, reload, emulate a media feature; or use the keyboard alone
//! (WebDriver key actions: [`Page::key`], [`Page::chord`],
//! [`Page::keyboard_type`], [`Page::tab_to`], which [`Page::tabs_to`] also
//! counts) and check that focus is on
//! something and visibly marked. Also reads the browser console and saves
//! failure artifacts for [`crate::run`].

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use fantoccini::actions::{
    ActionSequence, InputSource, KeyAction, KeyActions, MOUSE_BUTTON_LEFT, MouseActions, PointerAction, TouchActions,
};
use fantoccini::elements::Element;
use fantoccini::key::Key;
use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, Locator};

use crate::Outcome;

/// How long a test waits for something to appear before failing.
const PATIENCE: Duration = Duration::from_secs(15);
/// Pointer moves per drag, so the app sees a path rather than a jump.
const DRAG_STEPS: u32 = 8;
/// More Tab presses than the page has places to stop.
const MAX_TABS: usize = 3000;

/// What has focus, as the test reads it: the element, its test id and
/// whether the browser draws a focus indicator on it.
const FOCUS_SCRIPT: &str = r#"
const active = document.activeElement;
if (!active || active === document.body) return {on_body: true};
const style = getComputedStyle(active);
const outlined = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
const ringed = style.boxShadow !== 'none';
return {
  on_body: false,
  testid: active.getAttribute('data-testid') || '',
  tag: active.tagName.toLowerCase(),
  focus_visible: active.matches(':focus-visible'),
  indicator: outlined || ringed,
  description: active.outerHTML.slice(0, 160),
};
"#;

/// The app open in one browser session.
#[derive(Clone)]
pub struct Page {
    client: Client,
    base_url: String,
    /// Console errors read so far (reading the browser's log empties it).
    console: Arc<Mutex<Vec<String>>>,
    /// Where the browser saves downloads.
    downloads: PathBuf,
}

impl Page {
    pub(crate) fn new(client: Client, base_url: String, downloads: PathBuf) -> Self {
        Page { client, base_url, console: Arc::default(), downloads }
    }

    /// The underlying WebDriver client, for anything the helpers lack.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Opens the app and waits until it has rendered its timeline.
    pub async fn open_app(&self) -> Outcome {
        self.client.goto(&self.base_url).await?;
        self.find("timeline").await?;
        Ok(())
    }

    /// Opens the app with `fragment` after `#` in its address, as a shared link would.
    pub async fn open_with_fragment(&self, fragment: &str) -> Outcome {
        self.client.goto(&format!("{}#{fragment}", self.base_url)).await?;
        self.find("timeline").await?;
        Ok(())
    }

    /// The text of a file the browser downloaded as `name`, waiting for it.
    pub async fn downloaded(&self, name: &str) -> Result<String, Failure> {
        let bytes = self.downloaded_bytes(name).await?;
        String::from_utf8(bytes).map_err(|_| Failure(format!("{name} is not text")))
    }

    /// The bytes of a file the browser downloaded as `name`, waiting for it.
    pub async fn downloaded_bytes(&self, name: &str) -> Result<Vec<u8>, Failure> {
        let path = self.downloads.join(name);
        let started = Instant::now();
        loop {
            if let Ok(bytes) = std::fs::read(&path)
                && !bytes.is_empty()
            {
                return Ok(bytes);
            }
            if started.elapsed() > PATIENCE {
                let seen: Vec<String> = std::fs::read_dir(&self.downloads)
                    .map(|entries| {
                        entries.flatten().map(|entry| entry.file_name().to_string_lossy().into_owned()).collect()
                    })
                    .unwrap_or_default();
                return Err(Failure(format!("no download called {name}; the folder holds {seen:?}")));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The day a step card shows (its `data-day`).
    pub async fn step_day(&self, step: &str) -> Result<String, Failure> {
        let card = self.find_where("step-card", "data-step-id", step).await?;
        Ok(card.attr("data-day").await?.unwrap_or_default())
    }

    /// Where the browser saves downloads, e.g. to pick a downloaded file again.
    pub fn downloads(&self) -> &Path {
        &self.downloads
    }

    /// Chooses `file` in the file input with this test id, as the file picker would.
    pub async fn upload(&self, testid: &str, file: &Path) -> Outcome {
        self.find(testid).await?.send_keys(&file.display().to_string()).await?;
        Ok(())
    }

    /// The current value of an input, select or text area.
    pub async fn value(&self, testid: &str) -> Result<String, Failure> {
        Ok(self.find(testid).await?.prop("value").await?.unwrap_or_default())
    }

    /// Waits until the element with this test id contains `expected` in its text.
    pub async fn wait_for_text_containing(&self, testid: &str, expected: &str) -> Outcome {
        let started = Instant::now();
        loop {
            let seen = self.text(testid).await?;
            if seen.contains(expected) {
                return Ok(());
            }
            if started.elapsed() > PATIENCE {
                return Err(Failure(format!("{testid} shows {seen:?}, which does not contain {expected:?}")).into());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Drags `element` with the pointer to the page point (x, y).
    pub async fn drag_to_point(&self, element: &Element, x: f64, y: f64) -> Outcome {
        let (left, top, width, height) = element.rectangle().await?;
        self.drag_by(element, x - (left + width / 2.0), y - (top + height / 2.0)).await
    }

    /// Reloads the page and waits for the app again.
    pub async fn reload(&self) -> Outcome {
        self.client.refresh().await?;
        self.find("timeline").await?;
        Ok(())
    }

    /// The first element with `data-testid="{testid}"`, waiting for it to appear.
    pub async fn find(&self, testid: &str) -> Result<Element, Failure> {
        self.client
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::Css(&selector(testid)))
            .await
            .map_err(|error| Failure(format!("nothing with data-testid=\"{testid}\" appeared: {error}")))
    }

    /// Every element with `data-testid="{testid}"` now on the page.
    pub async fn find_all(&self, testid: &str) -> Result<Vec<Element>, Failure> {
        Ok(self.client.find_all(Locator::Css(&selector(testid))).await?)
    }

    /// The element with `data-testid="{testid}"` whose `attribute` equals `value`.
    pub async fn find_where(&self, testid: &str, attribute: &str, value: &str) -> Result<Element, Failure> {
        self.find(&format!("{testid}'][{attribute}='{value}")).await
    }

    pub async fn click(&self, testid: &str) -> Outcome {
        self.find(testid).await?.click().await?;
        Ok(())
    }

    /// Replaces the text of an input as a person does: select all, then type.
    pub async fn type_into(&self, testid: &str, text: &str) -> Outcome {
        let field = self.find(testid).await?;
        field.click().await?;
        field.send_keys(&format!("{}a{}", Key::Control, Key::Null)).await?;
        field.send_keys(text).await?;
        Ok(())
    }

    /// Presses keys (text, or [`crate::Key`] values as strings) on whatever has focus.
    pub async fn press(&self, keys: &str) -> Outcome {
        self.client.active_element().await?.send_keys(keys).await?;
        Ok(())
    }

    /// Presses and releases one key (a [`Key`] or a character) through
    /// WebDriver key actions, on whatever has focus.
    pub async fn key(&self, key: impl Into<char>) -> Outcome {
        let key = key.into();
        let actions =
            KeyActions::new("keyboard".into()).then(KeyAction::Down { value: key }).then(KeyAction::Up { value: key });
        self.client.perform_actions(actions).await?;
        Ok(())
    }

    /// Presses `key` while holding `modifier` (Shift, Control).
    pub async fn chord(&self, modifier: Key, key: impl Into<char>) -> Outcome {
        let (modifier, key) = (char::from(modifier), key.into());
        let actions = KeyActions::new("keyboard".into())
            .then(KeyAction::Down { value: modifier })
            .then(KeyAction::Down { value: key })
            .then(KeyAction::Up { value: key })
            .then(KeyAction::Up { value: modifier });
        self.client.perform_actions(actions).await?;
        self.client.release_actions().await?;
        Ok(())
    }

    /// Types `text` key by key into whatever has focus.
    pub async fn keyboard_type(&self, text: &str) -> Outcome {
        let mut actions = KeyActions::new("keyboard".into());
        for character in text.chars() {
            actions = actions.then(KeyAction::Down { value: character }).then(KeyAction::Up { value: character });
        }
        self.client.perform_actions(actions).await?;
        Ok(())
    }

    /// Presses Tab (Shift+Tab when `backwards`) until the focused element
    /// matches the CSS `selector`, checking after every press that focus is
    /// on something and visibly marked.
    pub async fn tab_to(&self, selector: &str, backwards: bool) -> Outcome {
        self.tabs_to(selector, backwards).await?;
        Ok(())
    }

    /// [`Page::tab_to`], saying how many presses it took: what a keyboard
    /// user pays to get past everything on the way.
    pub async fn tabs_to(&self, selector: &str, backwards: bool) -> Result<usize, Failure> {
        let check = format!("return document.activeElement.matches({})", serde_json::json!(selector));
        for presses in 1..=MAX_TABS {
            let pressed = if backwards { self.chord(Key::Shift, Key::Tab).await } else { self.key(Key::Tab).await };
            pressed.map_err(|error| Failure(error.to_string()))?;
            self.assert_focus_visible().await.map_err(|why| Failure(format!("tabbing to {selector}: {why}")))?;
            if self.client.execute(&check, vec![]).await? == serde_json::json!(true) {
                return Ok(presses);
            }
        }
        Err(Failure(format!("{MAX_TABS} presses of Tab never reached {selector}")))
    }

    /// Tabs to the element with this test id, saying how many presses it took (see [`Page::tabs_to`]).
    pub async fn tabs_to_testid(&self, testid: &str, backwards: bool) -> Result<usize, Failure> {
        self.tabs_to(&selector(testid), backwards).await
    }

    /// Tabs to the element with this test id (see [`Page::tab_to`]).
    pub async fn tab_to_testid(&self, testid: &str, backwards: bool) -> Outcome {
        self.tab_to(&selector(testid), backwards).await
    }

    /// Fails unless focus is on an element other than `<body>` with an
    /// outline or a ring drawn (by `:focus-visible`, or `:focus` for fields
    /// whose focus is inside them, like a time's hour); returns its test id.
    pub async fn assert_focus_visible(&self) -> Result<String, Failure> {
        let focus = self.client.execute(FOCUS_SCRIPT, vec![]).await?;
        if focus["on_body"] == serde_json::json!(true) {
            return Err(Failure("focus was lost to <body>".into()));
        }
        if focus["indicator"] != serde_json::json!(true) {
            return Err(Failure(format!("the focused element shows no focus indicator: {focus}")));
        }
        Ok(focus["testid"].as_str().unwrap_or_default().to_owned())
    }

    /// The visible text of the first element with this test id.
    ///
    /// The app re-renders as it works (a forecast redraws its figures), so an
    /// element found a moment ago may be replaced before its text is read;
    /// then it is found again rather than failing on the stale reference.
    pub async fn text(&self, testid: &str) -> Result<String, Failure> {
        let started = Instant::now();
        loop {
            match self.find(testid).await?.text().await {
                Err(error) if error.is_stale_element_reference() && started.elapsed() < PATIENCE => continue,
                read => return Ok(read?),
            }
        }
    }

    /// Waits until the element's text equals `expected`, and fails with what it last saw.
    pub async fn wait_for_text(&self, testid: &str, expected: &str) -> Outcome {
        let started = Instant::now();
        loop {
            let seen = self.text(testid).await?;
            if seen == expected {
                return Ok(());
            }
            if started.elapsed() > PATIENCE {
                return Err(Failure(format!("{testid} shows {seen:?}, expected {expected:?}")).into());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Drags `element` with the mouse by (dx, dy) CSS pixels from its centre.
    pub async fn drag_by(&self, element: &Element, dx: f64, dy: f64) -> Outcome {
        self.drag_with(MouseActions::new("pointer".into()), element, dx, dy).await
    }

    /// Drags `element` with a finger (WebDriver pointer type `touch`) by
    /// (dx, dy) CSS pixels from its centre, as on a tablet.
    pub async fn touch_drag_by(&self, element: &Element, dx: f64, dy: f64) -> Outcome {
        self.drag_with(TouchActions::new("finger".into()), element, dx, dy).await
    }

    /// Drags `element` onto the centre of `target` with the mouse.
    pub async fn drag_to(&self, element: &Element, target: &Element) -> Outcome {
        let (dx, dy) = Self::offset(element, target).await?;
        self.drag_by(element, dx, dy).await
    }

    /// Drags `element` onto the centre of `target` with a finger.
    pub async fn touch_drag_to(&self, element: &Element, target: &Element) -> Outcome {
        let (dx, dy) = Self::offset(element, target).await?;
        self.touch_drag_by(element, dx, dy).await
    }

    /// From the centre of `element` to the centre of `target`, in CSS pixels.
    async fn offset(element: &Element, target: &Element) -> Result<(f64, f64), Failure> {
        let (from_x, from_y, from_width, from_height) = element.rectangle().await?;
        let (to_x, to_y, to_width, to_height) = target.rectangle().await?;
        Ok((
            (to_x + to_width / 2.0) - (from_x + from_width / 2.0),
            (to_y + to_height / 2.0) - (from_y + from_height / 2.0),
        ))
    }

    /// Presses on `element`'s centre with `pointer`, moves by (dx, dy) in
    /// [`DRAG_STEPS`] steps and lets go.
    async fn drag_with<P>(&self, pointer: P, element: &Element, dx: f64, dy: f64) -> Outcome
    where
        P: InputSource<Action = PointerAction>,
        ActionSequence: From<P>,
    {
        let mut pointer = pointer
            .then(PointerAction::MoveToElement { element: element.clone(), duration: None, x: 0.0, y: 0.0 })
            .then(PointerAction::Down { button: MOUSE_BUTTON_LEFT });
        for _ in 0..DRAG_STEPS {
            pointer = pointer.then(PointerAction::MoveBy {
                duration: Some(Duration::from_millis(16)),
                x: dx / f64::from(DRAG_STEPS),
                y: dy / f64::from(DRAG_STEPS),
            });
        }
        self.client.perform_actions(pointer.then(PointerAction::Up { button: MOUSE_BUTTON_LEFT })).await?;
        self.client.release_actions().await?;
        Ok(())
    }

    /// Sets the browser window to `width` × `height` and waits until the
    /// page sees that size (`innerWidth`).
    pub async fn resize(&self, width: u32, height: u32) -> Outcome {
        self.client.set_window_size(width, height).await?;
        let started = Instant::now();
        loop {
            let inner = self.client.execute("return window.innerWidth", vec![]).await?;
            if inner.as_u64() == Some(u64::from(width)) {
                return Ok(());
            }
            if started.elapsed() > PATIENCE {
                return Err(Failure(format!("the window is {inner} wide, expected {width}")).into());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Makes the page see a CSS media feature as the system would set it,
    /// e.g. `prefers-reduced-motion: reduce`, through Chrome's DevTools
    /// protocol (`Emulation.setEmulatedMedia`).
    pub async fn emulate_media_feature(&self, name: &str, value: &str) -> Outcome {
        let features = serde_json::json!({ "features": [{ "name": name, "value": value }] });
        self.client.issue_cmd(DevTools { command: "Emulation.setEmulatedMedia", params: features }).await?;
        Ok(())
    }

    /// Puts `text` into the text field with this test id at once, as a
    /// paste would (typing 20 kB key by key is slow), and lets the app hear it.
    pub async fn paste(&self, testid: &str, text: &str) -> Outcome {
        let field = self.find(testid).await?;
        self.client
            .execute(
                "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input', {bubbles: true}));",
                vec![serde_json::to_value(&field)?, serde_json::json!(text)],
            )
            .await?;
        Ok(())
    }

    /// Makes the browser report `cores` as `navigator.hardwareConcurrency`
    /// for pages opened from now on (the forecast's pool follows it).
    pub async fn emulate_hardware_concurrency(&self, cores: u32) -> Outcome {
        let params = serde_json::json!({ "hardwareConcurrency": cores });
        self.client.issue_cmd(DevTools { command: "Emulation.setHardwareConcurrencyOverride", params }).await?;
        Ok(())
    }

    /// Makes every request whose address matches one of `patterns` (`*`
    /// for any characters) fail as a dropped connection would, until
    /// called again; an empty list lets everything through.
    pub async fn block_requests(&self, patterns: &[&str]) -> Outcome {
        self.client.issue_cmd(DevTools { command: "Network.enable", params: serde_json::json!({}) }).await?;
        let params = serde_json::json!({ "urls": patterns });
        self.client.issue_cmd(DevTools { command: "Network.setBlockedURLs", params }).await?;
        Ok(())
    }

    /// Every error the browser logged since the page opened: uncaught
    /// exceptions, `console.error`, failed loads, policy violations.
    pub async fn console_errors(&self) -> Result<Vec<String>, Failure> {
        let entries = self.client.issue_cmd(BrowserLog).await?;
        let mut console = self.console.lock().expect("console lock");
        for entry in entries.as_array().into_iter().flatten() {
            if entry["level"] == "SEVERE" {
                console.push(entry["message"].as_str().unwrap_or("(no message)").to_owned());
            }
        }
        Ok(console.clone())
    }

    /// Takes the errors logged so far, so that only later ones fail the
    /// test: for a test that provokes errors on purpose and checks them.
    pub async fn take_console_errors(&self) -> Result<Vec<String>, Failure> {
        let errors = self.console_errors().await?;
        self.console.lock().expect("console lock").clear();
        Ok(errors)
    }

    /// Saves a screenshot and the DOM; returns a sentence saying where.
    pub(crate) async fn save_artifacts(&self, test: &str) -> String {
        let folder = crate::workspace_root().join("target").join("e2e-artifacts").join(test);
        if let Err(error) = std::fs::create_dir_all(&folder) {
            return format!("could not save artifacts: {error}");
        }
        let mut saved = Vec::new();
        if let Ok(png) = self.client.screenshot().await
            && std::fs::write(folder.join("screenshot.png"), png).is_ok()
        {
            saved.push("screenshot.png");
        }
        if let Ok(dom) = self.client.source().await
            && std::fs::write(folder.join("dom.html"), dom).is_ok()
        {
            saved.push("dom.html");
        }
        format!("saved {} in {}", saved.join(" and "), folder.display())
    }
}

fn selector(testid: &str) -> String {
    format!("[data-testid='{testid}']")
}

/// A harness step that did not work, in words.
#[derive(Debug)]
pub struct Failure(pub String);

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Failure {}

impl From<fantoccini::error::CmdError> for Failure {
    fn from(error: fantoccini::error::CmdError) -> Self {
        Failure(format!("WebDriver: {error}"))
    }
}

/// ChromeDriver's DevTools endpoint (not part of W3C WebDriver): runs one
/// Chrome DevTools protocol command in the page.
#[derive(Debug)]
struct DevTools {
    command: &'static str,
    params: serde_json::Value,
}

impl WebDriverCompatibleCommand for DevTools {
    fn endpoint(&self, base_url: &url::Url, session_id: Option<&str>) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!("session/{}/goog/cdp/execute", session_id.unwrap_or_default()))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        let body = serde_json::json!({ "cmd": self.command, "params": self.params });
        (http::Method::POST, Some(body.to_string()))
    }
}

/// ChromeDriver's log endpoint (not part of W3C WebDriver): returns and
/// clears the browser console entries gathered so far.
#[derive(Debug)]
struct BrowserLog;

impl WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(&self, base_url: &url::Url, session_id: Option<&str>) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!("session/{}/se/log", session_id.unwrap_or_default()))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(r#"{"type":"browser"}"#.into()))
    }
}
