// Package runtime runs Lambda functions as local processes: the simulator's execution environments.
//
// # Model
//
// An execution environment is one bootstrap process, started from the function's extracted
// deployment package, plus one Runtime API server (version 2018-06-01) on its own 127.0.0.1 port,
// given to the process as AWS_LAMBDA_RUNTIME_API. The process pulls invocations with
// GET /runtime/invocation/next and answers with /response or /error, exactly as on AWS, so a
// bootstrap built for provided.al2023 runs unchanged. Only the OS-only runtimes are run.
//
// The API is a router with one handler per endpoint (rapi_*.go), each built with the environment as
// its dependency (the runtimeAPI interface). Handlers only record what the runtime said; each call
// moves the environment through explicit lifecycle states (states.go) whose allowed transitions
// make out-of-order calls fail with the Runtime API's own 400/403 answers:
//
//	Starting --/next--> Idle --invocation--> Invoking --/response|/error--> Responded --/next--> Idle
//	Starting --/init/error--> InitFailed;   any state --> Stopped
//
// One goroutine per invocation, environment.run, is the only place that decides how the invocation
// ends: answered (the runtime came back to /next), timed out, crashed, failed Init. It waits on the
// lifecycle's channels and on timers of the simulator's clock, so function timeouts, the 10 s Init
// limit and idle reaping all follow simulated time (a manual clock freezes them, a scaled one speeds
// them up). Deadlines given to functions (Lambda-Runtime-Deadline-Ms) are in simulated time too.
//
// # The warm pool
//
// The Manager keeps idle environments in a list per (function, version, revision) and hands the most
// recently used one to the next invocation; with none idle it starts another, so concurrent
// invocations get distinct environments. Concurrency limits are the caller's (internal/sim/invoke):
// Invoke returns only when the environment is free again, so counting in-flight Invoke calls counts
// busy environments, as AWS counts concurrency. An environment that crashed, timed out or failed
// Init is discarded (its process group is killed); one idle for IdleTimeout is stopped by its idle
// reaper; Invalidate stops a function's idle environments at once and its busy ones when they
// finish; Close stops everything, SIGTERM first and SIGKILL after AWS's 2 s shutdown budget.
//
// # Processes
//
// A bootstrap runs with its code directory as working directory, in its own process group (one
// signal ends it and its children), with only the variables Lambda sets plus the function's own:
// nothing of the simulator's environment leaks in. TMPDIR is the environment's own directory, as /tmp
// is on AWS. Every line written to stdout or stderr is filed under the invocation in progress,
// between its START and END/REPORT lines, and also sent to the LogSink; output of the Init phase
// precedes the first invocation's START, as in a CloudWatch log stream.
//
// Code is extracted once per SHA-256 under WorkDir/code and shared. ValidateZip and ExtractZip refuse
// packages that could write outside their directory, including through symbolic links in the archive.
package runtime
