package functionurl

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/services/lambda/urlconfig"
)

// isPreflight: an OPTIONS request with Origin and Access-Control-Request-Method.
func isPreflight(r *http.Request) bool {
	return r.Method == http.MethodOptions && r.Header.Get("Origin") != "" && r.Header.Get("Access-Control-Request-Method") != ""
}

func originAllowed(c *urlconfig.Cors, origin string) (string, bool) {
	if origin == "" {
		return "", false
	}
	for _, o := range c.AllowOrigins {
		if o == "*" {
			return "*", true
		}
		if strings.EqualFold(o, origin) {
			return origin, true
		}
	}
	return "", false
}

// preflight answers a CORS preflight from the configuration: 200 with the allowed origin,
// methods, headers and max age when the origin and method are allowed, 200 without CORS headers
// otherwise (the browser then refuses the actual request).
func preflight(w http.ResponseWriter, r *http.Request, c *urlconfig.Cors) {
	h := w.Header()
	allowedOrigin, ok := originAllowed(c, r.Header.Get("Origin"))
	method := strings.ToUpper(r.Header.Get("Access-Control-Request-Method"))
	methodOK := slices.ContainsFunc(c.AllowMethods, func(m string) bool { return m == "*" || strings.EqualFold(m, method) })
	if ok && methodOK {
		h.Set("Access-Control-Allow-Origin", allowedOrigin)
		h.Set("Access-Control-Allow-Methods", strings.Join(c.AllowMethods, ","))
		if len(c.AllowHeaders) > 0 {
			h.Set("Access-Control-Allow-Headers", strings.Join(c.AllowHeaders, ","))
		}
		if c.MaxAge != nil {
			h.Set("Access-Control-Max-Age", strconv.Itoa(*c.MaxAge))
		}
		if c.AllowCredentials != nil && *c.AllowCredentials {
			h.Set("Access-Control-Allow-Credentials", "true")
		}
		if len(c.ExposeHeaders) > 0 {
			h.Set("Access-Control-Expose-Headers", strings.Join(c.ExposeHeaders, ","))
		}
		h.Add("Vary", "Origin")
	}
	w.WriteHeader(http.StatusOK)
}

// corsHeaders adds the CORS headers of an actual response to an allowed origin.
func corsHeaders(h http.Header, r *http.Request, c *urlconfig.Cors) {
	if c == nil {
		return
	}
	allowedOrigin, ok := originAllowed(c, r.Header.Get("Origin"))
	if !ok {
		return
	}
	h.Set("Access-Control-Allow-Origin", allowedOrigin)
	if c.AllowCredentials != nil && *c.AllowCredentials {
		h.Set("Access-Control-Allow-Credentials", "true")
	}
	if len(c.ExposeHeaders) > 0 {
		h.Set("Access-Control-Expose-Headers", strings.Join(c.ExposeHeaders, ","))
	}
	h.Add("Vary", "Origin")
}
