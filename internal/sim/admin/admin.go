// Package admin serves the simulator's own API under /_sim/: health, and the invocation log that
// tests, the CLI and users read to see what ran, why, and how it ended.
package admin

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/clock"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/invlog"
)

// Handler serves /_sim/.
type Handler struct {
	mux   *http.ServeMux
	log   *invlog.Log
	clock clock.Clock
	start time.Time
	info  Info
}

// Info describes the running simulator on /_sim/health.
type Info struct {
	Version   string `json:"version"`
	Region    string `json:"region"`
	AccountID string `json:"accountId"`
	Durable   bool   `json:"durable"`
	DataDir   string `json:"dataDir,omitempty"`
}

// New returns the admin handler.
func New(log *invlog.Log, clk clock.Clock, info Info) *Handler {
	h := &Handler{mux: http.NewServeMux(), log: log, clock: clk, start: time.Now(), info: info}
	h.mux.HandleFunc("GET /_sim/health", h.health)
	h.mux.HandleFunc("GET /_sim/invocations", h.invocations)
	h.mux.HandleFunc("GET /_sim/clock", h.clockNow)
	h.mux.HandleFunc("POST /_sim/clock/advance", h.clockAdvance)
	h.mux.HandleFunc("/_sim/", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusNotFound, map[string]string{"message": "no such admin endpoint: " + r.Method + " " + r.URL.Path})
	})
	return h
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.mux.ServeHTTP(w, r) }

// Handle adds an admin endpoint (the clock, later the dashboard), e.g. "POST /_sim/clock/advance".
func (h *Handler) Handle(pattern string, fn http.HandlerFunc) { h.mux.HandleFunc(pattern, fn) }

func (h *Handler) health(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{
		"status":        "ok",
		"simulator":     h.info,
		"now":           h.clock.Now().UTC().Format(time.RFC3339Nano),
		"uptimeSeconds": time.Since(h.start).Seconds(),
	})
}

func (h *Handler) clockNow(w http.ResponseWriter, _ *http.Request) {
	_, manual := h.clock.(*clock.Manual)
	writeJSON(w, http.StatusOK, map[string]any{"now": h.clock.Now().UTC().Format(time.RFC3339Nano), "manual": manual})
}

// clockAdvance moves a manual clock forward: {"seconds": 60}. Every timer that falls due fires, so
// a retry one minute away runs now. Other clocks cannot be moved by hand.
func (h *Handler) clockAdvance(w http.ResponseWriter, r *http.Request) {
	m, ok := h.clock.(*clock.Manual)
	if !ok {
		writeJSON(w, http.StatusConflict, map[string]string{"message": "the simulator's clock is not manual: start it with --manual-clock to move time by hand (or use --time-scale)"})
		return
	}
	var body struct {
		Seconds *float64 `json:"seconds"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil || body.Seconds == nil || *body.Seconds < 0 {
		writeJSON(w, http.StatusBadRequest, map[string]string{"message": `give {"seconds": N} with N >= 0`})
		return
	}
	m.Advance(time.Duration(*body.Seconds * float64(time.Second)))
	writeJSON(w, http.StatusOK, map[string]any{"now": m.Now().UTC().Format(time.RFC3339Nano)})
}

// invocations lists records: ?function=NAME&requestId=ID&after=SEQ&limit=N, oldest first.
func (h *Handler) invocations(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	after, err := invlog.ParseSeq(q.Get("after"))
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"message": "after must be a sequence number"})
		return
	}
	limit := 0
	if s := q.Get("limit"); s != "" {
		if limit, err = strconv.Atoi(s); err != nil || limit < 0 {
			writeJSON(w, http.StatusBadRequest, map[string]string{"message": "limit must be a positive number"})
			return
		}
	}
	recs, err := h.log.List(invlog.Query{FunctionName: q.Get("function"), RequestID: q.Get("requestId"), After: after, Limit: limit})
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, map[string]string{"message": err.Error()})
		return
	}
	if recs == nil {
		recs = []invlog.Record{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"invocations": recs})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}
