package simcli

import (
	"bytes"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

func TestServe_flagErrorsSayWhatToDo(t *testing.T) {
	cases := map[string][]string{
		"choose one":                    {"--in-memory", "--data-dir", "x"},
		"give --data-dir DIR":           {},
		"an AWS account id is 12":       {"--in-memory", "--account-id", "123"},
		"must be greater than 0":        {"--in-memory", "--time-scale", "0"},
		"flag provided but not defined": {"--nope"},
	}
	for want, args := range cases {
		var stderr bytes.Buffer
		code := serve(args, "test", io.Discard, &stderr, nil)
		if code != 2 || !strings.Contains(stderr.String(), want) {
			t.Errorf("serve %v: exit %d, stderr %q; want exit 2 mentioning %q", args, code, stderr.String(), want)
		}
	}
}

func TestMain_helpExplainsEveryFlag(t *testing.T) {
	var stderr bytes.Buffer
	if code := serve([]string{"--help"}, "test", io.Discard, &stderr, nil); code != 0 {
		t.Fatalf("--help exit %d", code)
	}
	for _, flag := range []string{"-listen", "-data-dir", "-in-memory", "-region", "-account-id", "-time-scale", "-idle-timeout", "-log-level", "-manual-clock", "-relax-role-checks"} {
		if !strings.Contains(stderr.String(), flag) {
			t.Errorf("--help does not explain %s", flag)
		}
	}
	var stdout bytes.Buffer
	if code := Main(nil, "test", &stdout, io.Discard); code != 2 || !strings.Contains(stdout.String(), "serve") {
		t.Errorf("no command: exit %d, %q", code, stdout.String())
	}
}

func TestServe_servesUntilStoppedAndKeepsItsStore(t *testing.T) {
	dir := t.TempDir()
	stop := make(chan os.Signal, 1)
	var stdout syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- serve([]string{"--listen", "127.0.0.1:0", "--data-dir", dir, "--log-level", "warn"}, "test", &stdout, io.Discard, stop)
	}()
	var endpoint string
	re := regexp.MustCompile(`listening on (http://\S+)`)
	for i := 0; i < 200 && endpoint == ""; i++ {
		if m := re.FindStringSubmatch(stdout.String()); m != nil {
			endpoint = m[1]
		}
		time.Sleep(10 * time.Millisecond)
	}
	if endpoint == "" {
		t.Fatalf("simulator never said where it listens: %q", stdout.String())
	}
	resp, err := http.Get(endpoint + "/_sim/health")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"status": "ok"`) || !strings.Contains(string(body), `"durable": true`) {
		t.Fatalf("health: %d %s", resp.StatusCode, body)
	}
	stop <- syscall.SIGTERM
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("exit %d after SIGTERM", code)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("simulator did not stop after SIGTERM")
	}
	if _, err := os.Stat(filepath.Join(dir, "simulator.db")); err != nil {
		t.Fatalf("no store in the data directory: %v", err)
	}
}

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
