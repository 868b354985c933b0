//! `cargo xtask serve`: set up, build and serve Tandem on loopback.
//! Debug builds are served by Trunk, which rebuilds on every change; release
//! builds are optimised once and served as they would be deployed.

use std::process::Command;

use tandem_static_server::StaticServer;

use crate::process::{self, workspace_root};
use crate::toolchain::{Toolchain, build_app};

pub struct ServeOptions {
    release: bool,
    port: u16,
}

impl ServeOptions {
    pub fn parse(args: &[String]) -> Result<Self, String> {
        let mut options = ServeOptions { release: false, port: 8080 };
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--release" => options.release = true,
                "--port" => {
                    let value = args.next().ok_or("--port needs a number, e.g. --port 8081")?;
                    options.port =
                        value.parse().map_err(|_| format!("--port needs a number from 1 to 65535, got `{value}`"))?;
                }
                other => return Err(format!("serve does not understand `{other}`; it takes --release and --port N")),
            }
        }
        Ok(options)
    }
}

pub fn run(options: ServeOptions) -> Result<(), String> {
    let tools = Toolchain::new()?;
    tools.ensure_build_tools()?;
    if options.release {
        let dist = build_app(&tools, true)?;
        let server = StaticServer::start(&dist, options.port)
            .map_err(|error| format!("cannot serve on port {}: {error}", options.port))?;
        println!("serve: Tandem (release) is at {} — press Ctrl+C to stop", server.url());
        server.wait();
        return Ok(());
    }
    println!(
        "serve: Tandem will be at http://127.0.0.1:{}/ once built; it rebuilds when you save (reload the page)",
        options.port
    );
    process::run(
        Command::new(tools.bin().join("trunk"))
            .args(["serve", "--port", &options.port.to_string()])
            .current_dir(workspace_root())
            .env("PATH", tools.path_env()),
        "trunk serve",
    )
    .map_err(|error| format!("{error}; if port {} is in use, pick another with --port N", options.port))
}
