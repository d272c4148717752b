//! `thresh fix`: decode, repair and normalize, keeping every line.

use super::{io, FixArgs};
use std::process::ExitCode;
use thresh::Input;

pub fn run(args: FixArgs) -> anyhow::Result<ExitCode> {
    let pipeline = args.common.builder().build()?;
    let bytes = io::read(&args.input)?;
    let mut input = Input::new(&bytes);
    if let Some(label) = &args.common.charset {
        input = input.charset(label);
    }
    match pipeline.fix(input) {
        Ok(fixed) => {
            io::write(&args.output, fixed.text.as_bytes())?;
            Ok(ExitCode::SUCCESS)
        }
        Err(error) => {
            eprintln!("thresh: {}: {error}", args.input);
            Ok(ExitCode::from(1))
        }
    }
}
