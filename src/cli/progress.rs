//! Progress on standard error: a bar on a terminal, a plain line every few
//! seconds otherwise, nothing with --quiet. Every other message on standard
//! error goes through the same [`Console`] so that it never tears the bar.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{mpsc, Arc};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};
use thresh::batch::{Filter, Source, Tally, Walk};

/// How often the bar is redrawn.
const BAR_TICK: Duration = Duration::from_millis(100);
/// How often a plain progress line is printed.
const PLAIN_EVERY: Duration = Duration::from_secs(5);

/// What progress looks like.
enum Display {
    Bar(ProgressBar),
    Plain,
    Silent,
}

/// Standard error, shared by the progress display and messages.
pub struct Console {
    display: Display,
}

impl Console {
    /// A bar on a terminal, plain lines elsewhere when `plain` is allowed,
    /// nothing when `quiet`.
    pub fn new(quiet: bool, plain: bool) -> Console {
        let display = match (quiet, std::io::stderr().is_terminal()) {
            (true, _) => Display::Silent,
            (false, true) => Display::Bar(bar()),
            (false, false) if plain => Display::Plain,
            (false, false) => Display::Silent,
        };
        Console { display }
    }

    /// A console that only prints messages.
    pub fn messages_only() -> Console {
        Console {
            display: Display::Silent,
        }
    }

    /// Prints a message (one or more lines) without tearing the bar.
    pub fn print(&self, text: &str) {
        let text = text.trim_end_matches('\n');
        match &self.display {
            Display::Bar(bar) => bar.suspend(|| eprintln!("{text}")),
            _ => eprintln!("{text}"),
        }
    }

    fn shows_progress(&self) -> bool {
        !matches!(self.display, Display::Silent)
    }
}

fn bar() -> ProgressBar {
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    bar.set_style(counting_style());
    bar
}

fn counting_style() -> ProgressStyle {
    ProgressStyle::with_template("{spinner} {elapsed_precise} {pos} files (counting…)  {msg}")
        .unwrap_or_else(|_| ProgressStyle::default_spinner())
}

fn bar_style() -> ProgressStyle {
    ProgressStyle::with_template(
        "{elapsed_precise} [{wide_bar}] {pos}/{len} files  {msg}  ETA {eta}",
    )
    .unwrap_or_else(|_| ProgressStyle::default_bar())
    .progress_chars("=> ")
}

/// The number of files a batch will see, counted by a second walk in the
/// background so that the batch starts at once; unknown until it is done.
#[derive(Default)]
struct Total {
    files: AtomicU64,
    known: AtomicBool,
}

/// A running progress display; stops when dropped or finished.
pub struct Watch {
    done: Arc<AtomicBool>,
    /// Dropped to wake the ticker at once rather than at its next tick.
    wake: Option<mpsc::Sender<()>>,
    ticker: Option<JoinHandle<()>>,
}

impl Watch {
    /// Starts showing `tally`'s progress on `console`. With `inputs`, a
    /// background walk counts the files for the bar's length and the ETA.
    pub fn start(console: &Arc<Console>, tally: Arc<Tally>, inputs: Option<Inputs>) -> Watch {
        let done = Arc::new(AtomicBool::new(false));
        if !console.shows_progress() {
            return Watch {
                done,
                wake: None,
                ticker: None,
            };
        }
        let total = Arc::new(Total::default());
        if let Some(inputs) = inputs {
            let (total, done) = (Arc::clone(&total), Arc::clone(&done));
            std::thread::spawn(move || count(&inputs, &total, &done));
        }
        let console = Arc::clone(console);
        let (wake, woken) = mpsc::channel();
        let ticker = std::thread::spawn(move || tick(&console, &tally, &total, &woken));
        Watch {
            done,
            wake: Some(wake),
            ticker: Some(ticker),
        }
    }

    /// Stops the display and clears the bar.
    pub fn finish(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        self.done.store(true, Ordering::SeqCst);
        self.wake.take();
        if let Some(ticker) = self.ticker.take() {
            let _ = ticker.join();
        }
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        self.stop();
    }
}

/// What the batch will walk, for counting.
pub struct Inputs {
    pub sources: Vec<Source>,
    pub filter: Arc<Filter>,
    /// The output directory, which the batch's walk skips too.
    pub exclude: Option<PathBuf>,
}

/// Counts what the batch will see, giving up when the batch is over.
fn count(inputs: &Inputs, total: &Total, done: &AtomicBool) {
    for source in &inputs.sources {
        let Source::Dir(root) = source else {
            total.files.fetch_add(1, Ordering::Relaxed);
            continue;
        };
        let mut walk = Walk::new(root, Arc::clone(&inputs.filter));
        if let Some(dir) = &inputs.exclude {
            walk = walk.exclude(dir);
        }
        for _ in walk {
            if done.load(Ordering::Relaxed) {
                return;
            }
            total.files.fetch_add(1, Ordering::Relaxed);
        }
    }
    total.known.store(true, Ordering::SeqCst);
}

fn tick(console: &Console, tally: &Tally, total: &Total, woken: &mpsc::Receiver<()>) {
    let started = Instant::now();
    let mut last_plain = Instant::now();
    let mut styled = false;
    while let Err(mpsc::RecvTimeoutError::Timeout) = woken.recv_timeout(BAR_TICK) {
        let progress = tally.progress();
        let seconds = started.elapsed().as_secs_f64().max(1e-9);
        let rate = progress.bytes_in as f64 / 1e6 / seconds;
        let known = total.known.load(Ordering::SeqCst);
        let files = total.files.load(Ordering::Relaxed);
        let status = format!(
            "{} ok, {} failed, {} skipped, {rate:.1} MB/s",
            progress.ok, progress.failed, progress.skipped
        );
        match &console.display {
            Display::Bar(bar) => {
                if known && !styled {
                    bar.set_style(bar_style());
                    bar.set_length(files);
                    styled = true;
                }
                bar.set_position(progress.done());
                bar.set_message(status);
            }
            Display::Plain if last_plain.elapsed() >= PLAIN_EVERY => {
                last_plain = Instant::now();
                let of = if known {
                    format!("/{files}")
                } else {
                    String::new()
                };
                let eta = eta(progress.done(), known.then_some(files), seconds);
                console.print(&format!(
                    "thresh: {}{of} files, {status}{eta}",
                    progress.done()
                ));
            }
            _ => {}
        }
    }
    if let Display::Bar(bar) = &console.display {
        bar.finish_and_clear();
    }
}

/// `", ETA 1m20s"` once the total is known and some files are done.
fn eta(done: u64, total: Option<u64>, seconds: f64) -> String {
    match total {
        Some(total) if done > 0 && total >= done => {
            let left = (total - done) as f64 * seconds / done as f64;
            format!(", ETA {}m{:02}s", left as u64 / 60, left as u64 % 60)
        }
        _ => String::new(),
    }
}
