//! `cargo run -p cmk-pwsh --example parse_check FILE.ps1…`: which scripts the engine's parser
//! reads, and the first error of each that it does not (used to measure the engine against
//! Microsoft's CMK scripts).

fn main() {
    let mut ok = 0;
    let mut total = 0;
    for path in std::env::args().skip(1) {
        total += 1;
        match std::fs::read_to_string(&path) {
            Ok(text) => match cmk_pwsh::check(&text) {
                Ok(()) => ok += 1,
                Err(e) => println!("{path}:{}: {}", e.line, e.message),
            },
            Err(e) => println!("{path}: {e}"),
        }
    }
    println!("{ok} of {total} parse");
}
