//! The browser entry point Trunk builds: it only mounts the app.

fn main() {
    tandem::start();
}
