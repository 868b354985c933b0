//! A tiny static file server for a built Tandem bundle, bound to loopback.
//!
//! Tandem has no backend, so serving it only means handing out the files of
//! `dist/` with the right content types (browsers compile WebAssembly
//! streaming only when it is served as `application/wasm`). Both
//! `cargo xtask serve --release` and the end-to-end harness use this one
//! server, so what the tests load is what a user is served.

use std::fs;
use std::io::{self, BufRead, BufReader, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::{self, JoinHandle};

/// A running server; it stops when dropped.
pub struct StaticServer {
    address: SocketAddr,
    stopping: Arc<AtomicBool>,
    acceptor: Option<JoinHandle<()>>,
}

impl StaticServer {
    /// Serves `root` on 127.0.0.1:`port`; port 0 picks a free port.
    pub fn start(root: impl Into<PathBuf>, port: u16) -> io::Result<Self> {
        let root = root.into();
        if !root.join("index.html").is_file() {
            return Err(io::Error::new(
                io::ErrorKind::NotFound,
                format!("{} has no index.html: build the app first", root.display()),
            ));
        }
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, port))?;
        let address = listener.local_addr()?;
        let stopping = Arc::new(AtomicBool::new(false));
        let acceptor = {
            let stopping = Arc::clone(&stopping);
            thread::spawn(move || {
                for connection in listener.incoming() {
                    if stopping.load(Ordering::SeqCst) {
                        break;
                    }
                    if let Ok(stream) = connection {
                        let root = root.clone();
                        thread::spawn(move || {
                            // A client that hangs up mid-response is not our problem.
                            let _ = respond(stream, &root);
                        });
                    }
                }
            })
        };
        Ok(StaticServer { address, stopping, acceptor: Some(acceptor) })
    }

    /// The address to open in a browser, e.g. `http://127.0.0.1:8080/`.
    pub fn url(&self) -> String {
        format!("http://{}/", self.address)
    }

    /// Blocks until the process is stopped.
    pub fn wait(mut self) {
        if let Some(acceptor) = self.acceptor.take() {
            let _ = acceptor.join();
        }
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.stopping.store(true, Ordering::SeqCst);
        // Wake the acceptor so it sees the flag.
        let _ = TcpStream::connect(self.address);
        if let Some(acceptor) = self.acceptor.take() {
            let _ = acceptor.join();
        }
    }
}

fn respond(stream: TcpStream, root: &Path) -> io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    // Drain the headers; nothing in them changes what we send.
    let mut header = String::new();
    while reader.read_line(&mut header)? > 2 {
        header.clear();
    }
    let mut parts = request_line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let mut stream = stream;
    if method != "GET" && method != "HEAD" {
        return write_response(
            &mut stream,
            "405 Method Not Allowed",
            "text/plain; charset=utf-8",
            b"",
            method == "HEAD",
        );
    }
    match resolve(root, target).and_then(|path| fs::read(&path).ok().map(|body| (path, body))) {
        Some((path, body)) => write_response(&mut stream, "200 OK", content_type(&path), &body, method == "HEAD"),
        None => {
            write_response(&mut stream, "404 Not Found", "text/plain; charset=utf-8", b"not found", method == "HEAD")
        }
    }
}

/// Maps a request target to a file under `root`, refusing anything that
/// would climb out of it.
fn resolve(root: &Path, target: &str) -> Option<PathBuf> {
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let mut resolved = root.to_path_buf();
    for component in Path::new(path.trim_start_matches('/')).components() {
        match component {
            Component::Normal(part) => resolved.push(part),
            Component::CurDir => {}
            _ => return None,
        }
    }
    if resolved.is_dir() {
        resolved.push("index.html");
    }
    resolved.is_file().then_some(resolved)
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|extension| extension.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "txt" | "md" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn write_response(
    stream: &mut TcpStream,
    status: &str,
    content_type: &str,
    body: &[u8],
    head_only: bool,
) -> io::Result<()> {
    write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    if !head_only {
        stream.write_all(body)?;
    }
    stream.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn site() -> PathBuf {
        let root = std::env::temp_dir().join(format!(
            "tandem-static-server-{}-{:?}",
            std::process::id(),
            thread::current().id()
        ));
        fs::create_dir_all(root.join("schema")).unwrap();
        fs::write(root.join("index.html"), "<!doctype html><title>Tandem</title>").unwrap();
        fs::write(root.join("tandem_bg.wasm"), b"\0asm").unwrap();
        fs::write(root.join("schema/journey.json"), "{}").unwrap();
        root
    }

    fn get(server: &StaticServer, target: &str) -> String {
        let mut stream = TcpStream::connect(server.address).unwrap();
        write!(stream, "GET {target} HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        response
    }

    #[test]
    fn serves_files_with_their_content_types() {
        let server = StaticServer::start(site(), 0).unwrap();
        let cases = [
            ("/", "200 OK", "text/html"),
            ("/index.html?fresh=1", "200 OK", "text/html"),
            ("/tandem_bg.wasm", "200 OK", "application/wasm"),
            ("/schema/journey.json", "200 OK", "application/json"),
            ("/missing.js", "404 Not Found", "text/plain"),
            ("/../../etc/passwd", "404 Not Found", "text/plain"),
            ("/schema/../../secret", "404 Not Found", "text/plain"),
        ];
        for (target, status, content_type) in cases {
            let response = get(&server, target);
            assert!(response.starts_with(&format!("HTTP/1.1 {status}")), "{target}: {response}");
            assert!(response.contains(&format!("Content-Type: {content_type}")), "{target}: {response}");
        }
    }

    #[test]
    fn refuses_a_folder_without_a_built_app() {
        let empty = std::env::temp_dir().join(format!("tandem-static-server-empty-{}", std::process::id()));
        fs::create_dir_all(&empty).unwrap();
        let error = StaticServer::start(&empty, 0).err().expect("no index.html");
        assert!(error.to_string().contains("build the app first"), "{error}");
    }

    #[test]
    fn stops_listening_when_dropped() {
        let server = StaticServer::start(site(), 0).unwrap();
        let address = server.address;
        drop(server);
        assert!(TcpStream::connect(address).is_err(), "still listening on {address}");
    }
}
