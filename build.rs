// sqlx::migrate!() and the fluent catalog are embedded at compile time; without this the
// binary keeps serving stale migrations or strings after an edit.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
    println!("cargo:rerun-if-changed=locales");
    println!("cargo:rerun-if-changed=templates");
}
