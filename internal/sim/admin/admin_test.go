package admin

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/clock"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/invlog"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

func newHandler(t *testing.T, clk clock.Clock) (*Handler, *invlog.Log) {
	t.Helper()
	st, err := store.OpenTemp()
	if err != nil {
		t.Fatal(err)
	}
	log := invlog.New(st)
	t.Cleanup(func() { log.Close(); st.Close() })
	return New(log, clk, Info{Version: "test"}), log
}

func do(h http.Handler, method, target, body string) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(method, target, strings.NewReader(body)))
	return w
}

func TestClockAdvance_movesAManualClockAndFiresTimers(t *testing.T) {
	start := time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)
	m := clock.NewManual(start)
	h, _ := newHandler(t, m)
	timer := m.NewTimer(time.Minute)

	if w := do(h, "POST", "/_sim/clock/advance", `{"seconds": 60}`); w.Code != 200 || !strings.Contains(w.Body.String(), "2026-11-29T00:01:00Z") {
		t.Fatalf("advance: %d %s", w.Code, w.Body)
	}
	select {
	case <-timer.C():
	default:
		t.Fatal("a timer due at +60 s did not fire when the clock advanced 60 s")
	}
	for _, bad := range []string{`{}`, `{"seconds": -1}`, `not json`} {
		if w := do(h, "POST", "/_sim/clock/advance", bad); w.Code != 400 {
			t.Errorf("advance %s: %d, want 400", bad, w.Code)
		}
	}
	if w := do(h, "GET", "/_sim/clock", ""); !strings.Contains(w.Body.String(), `"manual": true`) {
		t.Errorf("GET clock: %s", w.Body)
	}
}

func TestClockAdvance_refusedOnARealClock(t *testing.T) {
	h, _ := newHandler(t, clock.Real())
	if w := do(h, "POST", "/_sim/clock/advance", `{"seconds": 1}`); w.Code != http.StatusConflict || !strings.Contains(w.Body.String(), "--manual-clock") {
		t.Fatalf("advance on a real clock: %d %s", w.Code, w.Body)
	}
}

func TestInvocations_filtersAndValidates(t *testing.T) {
	h, log := newHandler(t, clock.Real())
	log.Append(&invlog.Record{RequestID: "a", FunctionName: "f"})
	log.Append(&invlog.Record{RequestID: "b", FunctionName: "g"})
	w := do(h, "GET", "/_sim/invocations?function=g", "")
	if w.Code != 200 || !strings.Contains(w.Body.String(), `"requestId": "b"`) || strings.Contains(w.Body.String(), `"requestId": "a"`) {
		t.Fatalf("filter by function: %s", w.Body)
	}
	if w := do(h, "GET", "/_sim/invocations?function=none", ""); !strings.Contains(w.Body.String(), `"invocations": []`) {
		t.Fatalf("no match must be an empty list: %s", w.Body)
	}
	for _, q := range []string{"after=x", "limit=-1"} {
		if w := do(h, "GET", "/_sim/invocations?"+q, ""); w.Code != 400 {
			t.Errorf("%s: %d, want 400", q, w.Code)
		}
	}
	if w := do(h, "GET", "/_sim/nope", ""); w.Code != 404 {
		t.Errorf("unknown admin path: %d", w.Code)
	}
}
