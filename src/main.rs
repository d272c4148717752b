//! The `thresh` command: a thin layer of argument parsing over the library.

mod cli;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args = cli::Args::parse();
    match cli::run(args) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("thresh: {error:#}");
            ExitCode::from(2)
        }
    }
}
