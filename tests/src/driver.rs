//! Starting and stopping what a test session needs: the static server for
//! `dist/`, ChromeDriver on a free port, and a headless Chromium with a
//! throw-away profile. The guard kills the whole process group on drop, so
//! nothing is left running even if a test panics.

use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::ClientBuilder;
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;
use tandem_static_server::StaticServer;

use crate::page::Page;
use crate::workspace_root;

pub struct Session {
    page: Page,
    _server: StaticServer,
    driver: DriverProcess,
    profile: PathBuf,
}

struct DriverProcess(Child);

impl Drop for DriverProcess {
    fn drop(&mut self) {
        // ChromeDriver and the Chromium it started share this process group.
        let _ = Command::new("kill").args(["-s", "KILL", "--", &format!("-{}", self.0.id())]).status();
        let _ = self.0.wait();
    }
}

impl Session {
    pub async fn start() -> Result<Session, String> {
        let dist =
            std::env::var_os("TANDEM_E2E_DIST").map(PathBuf::from).unwrap_or_else(|| workspace_root().join("dist"));
        let server = StaticServer::start(&dist, 0).map_err(|error| {
            format!("{error}. The end-to-end tests drive the built app: run them with `cargo xtask test`")
        })?;

        let chromedriver = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into());
        let port = free_port()?;
        let child = Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .map_err(|error| {
                format!("could not start {chromedriver}: {error} (install chromium-driver or set CHROMEDRIVER)")
            })?;
        let driver = DriverProcess(child);
        wait_until_listening(port, Duration::from_secs(20))?;

        let profile = std::env::temp_dir().join(format!("tandem-e2e-profile-{}-{port}", std::process::id()));
        let mut options = json!({
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1400,900",
                format!("--user-data-dir={}", profile.display()),
            ],
        });
        let downloads = profile.join("downloads");
        options["prefs"] = json!({
            "download.default_directory": downloads.display().to_string(),
            "download.prompt_for_download": false,
        });
        if let Ok(binary) = std::env::var("CHROMIUM") {
            options["binary"] = json!(binary);
        }
        let capabilities = json!({
            "browserName": "chrome",
            "goog:chromeOptions": options,
            "goog:loggingPrefs": { "browser": "ALL" },
        });
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities.as_object().expect("an object").clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .map_err(|error| format!("ChromeDriver could not start Chromium: {error}"))?;
        Ok(Session { page: Page::new(client, server.url(), downloads), _server: server, driver, profile })
    }

    pub fn page(&self) -> Page {
        self.page.clone()
    }

    /// Ends the browser session, then the driver and the server.
    pub async fn stop(self) {
        let _ = self.page.client().clone().close().await;
        drop(self.driver);
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

fn free_port() -> Result<u16, String> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).map_err(|error| format!("no free port: {error}"))?;
    listener.local_addr().map(|address| address.port()).map_err(|error| error.to_string())
}

fn wait_until_listening(port: u16, limit: Duration) -> Result<(), String> {
    let started = Instant::now();
    while TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_err() {
        if started.elapsed() > limit {
            return Err(format!("ChromeDriver did not listen on port {port} within {limit:?}"));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Ok(())
}
