//! Running work on many items at once: a rayon pool pulls items from a
//! sequential iterator as workers free up, so only the items in flight are
//! in memory. Results go to a sink either as they come or, through a
//! bounded reorder buffer, in input order.

use rayon::iter::{ParallelBridge, ParallelIterator};
use std::collections::BTreeMap;
use std::io;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};

/// How many workers a batch uses, and the flag that stops it.
///
/// Setting the flag (from a Ctrl-C handler, say) makes workers take no new
/// items; those in flight finish, so every output is either whole or absent.
///
/// ```
/// use thresh::batch::Control;
/// let control = Control::new(2);
/// assert_eq!(control.jobs(), 2);
/// control.stop();
/// assert!(control.is_stopped());
/// ```
#[derive(Debug, Clone)]
pub struct Control {
    jobs: usize,
    stop: Arc<AtomicBool>,
}

impl Default for Control {
    fn default() -> Self {
        Control::new(0)
    }
}

impl Control {
    /// `jobs` workers; 0 means one per core.
    pub fn new(jobs: usize) -> Control {
        let jobs = match jobs {
            0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
            n => n,
        };
        Control {
            jobs,
            stop: Arc::new(AtomicBool::new(false)),
        }
    }

    /// How many workers run.
    pub fn jobs(&self) -> usize {
        self.jobs
    }

    /// The stop flag, to share with a signal handler.
    pub fn stop_flag(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.stop)
    }

    /// Asks the batch to stop taking new items.
    pub fn stop(&self) {
        self.stop.store(true, Ordering::SeqCst);
    }

    /// True once [`stop`](Self::stop) was called or the flag was set.
    pub fn is_stopped(&self) -> bool {
        self.stop.load(Ordering::SeqCst)
    }

    fn pool(&self) -> io::Result<rayon::ThreadPool> {
        rayon::ThreadPoolBuilder::new()
            .num_threads(self.jobs)
            .thread_name(|i| format!("thresh-{i}"))
            .build()
            .map_err(io::Error::other)
    }
}

/// Yields items until the source runs dry or the batch is stopped, and
/// remembers which happened.
struct Guarded<'a, I> {
    items: I,
    control: &'a Control,
    halted: &'a AtomicBool,
    exhausted: &'a AtomicBool,
}

impl<I: Iterator> Iterator for Guarded<'_, I> {
    type Item = I::Item;

    fn next(&mut self) -> Option<I::Item> {
        if self.control.is_stopped() || self.halted.load(Ordering::SeqCst) {
            return None;
        }
        let next = self.items.next();
        if next.is_none() {
            self.exhausted.store(true, Ordering::SeqCst);
        }
        next
    }
}

/// Runs `work` on every item on `control.jobs()` workers, in no particular
/// order. Returns `true` when it stopped before the items ran out.
///
/// ```
/// use std::sync::atomic::{AtomicUsize, Ordering};
/// use thresh::batch::{for_each_unordered, Control};
/// let sum = AtomicUsize::new(0);
/// let stopped = for_each_unordered(&Control::new(2), 1..=100, |n| {
///     sum.fetch_add(n, Ordering::Relaxed);
/// })
/// .unwrap();
/// assert!(!stopped);
/// assert_eq!(sum.into_inner(), 5050);
/// ```
pub fn for_each_unordered<I, F>(control: &Control, items: I, work: F) -> io::Result<bool>
where
    I: Iterator + Send,
    I::Item: Send,
    F: Fn(I::Item) + Sync + Send,
{
    let halted = AtomicBool::new(false);
    let exhausted = AtomicBool::new(false);
    let items = Guarded {
        items,
        control,
        halted: &halted,
        exhausted: &exhausted,
    };
    control
        .pool()?
        .install(|| items.par_bridge().for_each(work));
    Ok(!exhausted.load(Ordering::SeqCst))
}

/// Results waiting for their turn, and where they go.
struct Reorder<R, S> {
    next: u64,
    pending: BTreeMap<u64, R>,
    sink: S,
    error: Option<io::Error>,
}

/// The reorder buffer shared by the workers.
struct Gate<R, S> {
    state: Mutex<Reorder<R, S>>,
    room: Condvar,
    window: u64,
}

impl<R, S: FnMut(R) -> io::Result<()>> Gate<Option<R>, S> {
    fn lock(&self) -> MutexGuard<'_, Reorder<Option<R>, S>> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Waits until item `seq` is within the window, so that one slow item
    /// cannot make the buffer grow without bound. Every earlier item is
    /// already taken by a worker, so the wait always ends.
    fn admit(&self, seq: u64) {
        let mut state = self.lock();
        while seq >= state.next + self.window && state.error.is_none() {
            state = self.room.wait(state).unwrap_or_else(|e| e.into_inner());
        }
    }

    /// Files a result (`None` for a panicked item) and sends every result
    /// now in order to the sink.
    fn deliver(&self, seq: u64, result: Option<R>, halted: &AtomicBool) {
        let mut state = self.lock();
        state.pending.insert(seq, result);
        loop {
            let next = state.next;
            let Some(result) = state.pending.remove(&next) else {
                break;
            };
            state.next += 1;
            if let (None, Some(result)) = (&state.error, result) {
                if let Err(e) = (state.sink)(result) {
                    state.error = Some(e);
                    halted.store(true, Ordering::SeqCst);
                }
            }
        }
        self.room.notify_all();
    }
}

/// Maps every item with `work` on `control.jobs()` workers and hands the
/// results to `sink` in input order. At most a window of results waits in
/// memory. A sink error stops the run and is returned; otherwise returns
/// `true` when it stopped before the items ran out.
///
/// ```
/// use thresh::batch::{map_ordered, Control};
/// let mut out = Vec::new();
/// map_ordered(&Control::new(2), 0..1000u64, |n| n * n, |square| {
///     out.push(square);
///     Ok(())
/// })
/// .unwrap();
/// assert!(out.iter().enumerate().all(|(i, &sq)| sq == (i * i) as u64));
/// ```
pub fn map_ordered<I, R, F, S>(control: &Control, items: I, work: F, sink: S) -> io::Result<bool>
where
    I: Iterator + Send,
    I::Item: Send,
    R: Send,
    F: Fn(I::Item) -> R + Sync + Send,
    S: FnMut(R) -> io::Result<()> + Send,
{
    let gate = Gate {
        state: Mutex::new(Reorder {
            next: 0,
            pending: BTreeMap::new(),
            sink,
            error: None,
        }),
        room: Condvar::new(),
        window: 32 * control.jobs() as u64,
    };
    let halted = AtomicBool::new(false);
    let exhausted = AtomicBool::new(false);
    let numbered = (0u64..).zip(items).inspect(|(seq, _)| gate.admit(*seq));
    let items = Guarded {
        items: numbered,
        control,
        halted: &halted,
        exhausted: &exhausted,
    };
    let panic = Mutex::new(None);
    control.pool()?.install(|| {
        items.par_bridge().for_each(|(seq, item)| {
            // A panic must still fill its slot, or the window would wait for it forever.
            let result = std::panic::catch_unwind(AssertUnwindSafe(|| work(item)));
            let result = result.map_err(|payload| {
                halted.store(true, Ordering::SeqCst);
                *panic.lock().unwrap_or_else(|e| e.into_inner()) = Some(payload);
            });
            gate.deliver(seq, result.ok(), &halted)
        })
    });
    if let Some(payload) = panic.into_inner().unwrap_or_else(|e| e.into_inner()) {
        std::panic::resume_unwind(payload);
    }
    let state = gate.state.into_inner().unwrap_or_else(|e| e.into_inner());
    match state.error {
        Some(error) => Err(error),
        None => Ok(!exhausted.load(Ordering::SeqCst)),
    }
}
