// Package simcli is the command line of the bundled simulator:
//
//	terraform-provider-lambdatrigger simulator serve [flags]
//
// It parses flags into a sim.Config, starts the simulator and stops it cleanly on SIGINT/SIGTERM,
// so that every function process it started is stopped with it.
package simcli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/clock"
)

// Main runs the `simulator` subcommand with args (after "simulator") and returns the exit code.
func Main(args []string, version string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stdout, usage)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	switch args[0] {
	case "serve":
		stop := make(chan os.Signal, 1)
		signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
		defer signal.Stop(stop)
		return serve(args[1:], version, stdout, stderr, stop)
	default:
		fmt.Fprintf(stderr, "unknown simulator command %q\n\n%s", args[0], usage)
		return 2
	}
}

const usage = `Usage: terraform-provider-lambdatrigger simulator <command> [flags]

Commands:
  serve    run the simulator: an AWS-wire-compatible Lambda, STS (and, as they land, SQS, SNS, S3,
           EventBridge, CloudWatch Logs, Kinesis, DynamoDB) on one loopback address

Run "terraform-provider-lambdatrigger simulator serve --help" for its flags.
`

type serveFlags struct {
	listen      string
	dataDir     string
	inMemory    bool
	region      string
	accountID   string
	timeScale   float64
	manualClock bool
	relaxRoles  bool
	idleTimeout time.Duration
	logLevel    string
}

// serve runs the simulator until a signal arrives on stop.
func serve(args []string, version string, stdout, stderr io.Writer, stop <-chan os.Signal) int {
	fs := flag.NewFlagSet("simulator serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var f serveFlags
	fs.StringVar(&f.listen, "listen", "127.0.0.1:4566", "`address` to listen on; keep it on loopback (the simulator has no authentication by default)")
	fs.StringVar(&f.dataDir, "data-dir", "", "`directory` of the durable store (bbolt file simulator.db) and extracted function code; everything acknowledged survives a restart on the same directory")
	fs.BoolVar(&f.inMemory, "in-memory", false, "keep all state in a temporary directory removed at exit, without fsync (for tests); excludes --data-dir")
	fs.StringVar(&f.region, "region", "us-east-1", "the simulated AWS `region` used in ARNs")
	fs.StringVar(&f.accountID, "account-id", "000000000000", "the simulated 12-digit AWS account `id` used in ARNs")
	fs.Float64Var(&f.timeScale, "time-scale", 1, "run simulated time `N` times faster than the wall clock (retries, event ages, idle timeouts, function timeouts)")
	fs.BoolVar(&f.manualClock, "manual-clock", false, "stop simulated time: it moves only when POST /_sim/clock/advance {\"seconds\": N} says so (for tests of retries and event ages); excludes --time-scale")
	fs.BoolVar(&f.relaxRoles, "relax-role-checks", false, "treat execution roles that do not exist in the simulated IAM as allowing everything (roles that exist are still evaluated); off by default, as on AWS, where a role must allow what Lambda does for a function")
	fs.DurationVar(&f.idleTimeout, "idle-timeout", 10*time.Minute, "how long an idle execution environment stays warm before its process is stopped (simulated time)")
	fs.StringVar(&f.logLevel, "log-level", "info", "simulator log `level`: debug, info, warn or error")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), "Usage: terraform-provider-lambdatrigger simulator serve [--listen 127.0.0.1:4566] [--data-dir DIR | --in-memory] [--region us-east-1] [--account-id 000000000000]\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	cfg, err := f.config(stderr)
	if err != nil {
		fmt.Fprintf(stderr, "simulator serve: %v\n", err)
		return 2
	}
	sim.Version = version
	s, err := sim.New(cfg)
	if err != nil {
		fmt.Fprintf(stderr, "simulator serve: %v\n", err)
		return 1
	}
	if err := s.Start(f.listen); err != nil {
		s.Close()
		fmt.Fprintf(stderr, "simulator serve: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "lambdatrigger simulator %s listening on %s\n", version, s.Endpoint())

	sig := <-stop
	cfg.Logger.Info("stopping simulator", "signal", sig.String())
	if err := s.Close(); err != nil {
		fmt.Fprintf(stderr, "simulator serve: closing: %v\n", err)
		return 1
	}
	return 0
}

func (f serveFlags) config(stderr io.Writer) (sim.Config, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(f.logLevel)); err != nil {
		return sim.Config{}, fmt.Errorf("--log-level: %w", err)
	}
	switch {
	case f.inMemory && f.dataDir != "":
		return sim.Config{}, errors.New("--in-memory and --data-dir exclude each other: choose one")
	case !f.inMemory && f.dataDir == "":
		return sim.Config{}, errors.New("give --data-dir DIR for a durable simulator, or --in-memory for a throwaway one")
	case len(f.accountID) != 12 || !isDigits(f.accountID):
		return sim.Config{}, fmt.Errorf("--account-id %q: an AWS account id is 12 digits", f.accountID)
	case f.timeScale <= 0:
		return sim.Config{}, fmt.Errorf("--time-scale %v: must be greater than 0", f.timeScale)
	case f.manualClock && f.timeScale != 1:
		return sim.Config{}, errors.New("--manual-clock and --time-scale exclude each other: choose one")
	case f.idleTimeout <= 0:
		return sim.Config{}, fmt.Errorf("--idle-timeout %v: must be greater than 0", f.idleTimeout)
	}
	clk := clock.Real()
	switch {
	case f.manualClock:
		clk = clock.NewManual(time.Now())
	case f.timeScale != 1:
		clk = clock.Scaled(f.timeScale)
	}
	return sim.Config{
		DataDir:         f.dataDir,
		InMemory:        f.inMemory,
		Region:          f.region,
		AccountID:       f.accountID,
		Clock:           clk,
		IdleTimeout:     f.idleTimeout,
		RelaxRoleChecks: f.relaxRoles,
		Logger:          slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level})),
	}, nil
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
