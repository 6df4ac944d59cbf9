package aistatstest

import (
	"net/http"
	"strings"
	"time"
)

// Ready-made Respond faults for the failures a client must survive. They
// match any request; set Method, Path or OnRequest on the result to narrow
// them. times follows Fault.Times (0 means 1, -1 means always). The JSON
// bodies carry "error" and "message" (and the 2026-03 "ok": false), which
// clients of either API version read; they stand for a proxy or gateway in
// front of the API, not for the API's own answers.

// ServiceUnavailable answers 503 with a JSON error body.
func ServiceUnavailable(times int) Fault {
	return jsonFault(times, http.StatusServiceUnavailable,
		`{"ok":false,"error":"service_unavailable","message":"Service temporarily unavailable"}`)
}

// InternalError answers 500 with a generic failure body (the 2026-03
// server's shape).
func InternalError(times int) Fault {
	return jsonFault(times, http.StatusInternalServerError,
		`{"ok":false,"error":"failed","message":"injected internal error"}`)
}

// RateLimited answers 429 with "Retry-After: <retryAfter>" (omitted when
// empty). Pass seconds ("1") or an HTTP date from RetryAfterDate.
func RateLimited(times int, retryAfter string) Fault {
	f := jsonFault(times, http.StatusTooManyRequests,
		`{"ok":false,"error":"rate_limited","message":"Too many requests"}`)
	if retryAfter != "" {
		f.Header.Set("Retry-After", retryAfter)
	}
	return f
}

// BadGatewayHTML answers 502 with the HTML page Cloudflare's edge sends
// when the origin fails, including Server and CF-RAY headers.
func BadGatewayHTML(times int) Fault {
	h := http.Header{}
	h.Set("Content-Type", "text/html")
	h.Set("Server", "cloudflare")
	h.Set("CF-RAY", strings.ToLower(randomBase62(16))+"-LHR")
	return Fault{Kind: Respond, Times: times, Status: http.StatusBadGateway, Header: h, Body: badGatewayPage}
}

const badGatewayPage = `<html>
<head><title>502 Bad Gateway</title></head>
<body>
<center><h1>502 Bad Gateway</h1></center>
<hr><center>cloudflare</center>
</body>
</html>
`

// RetryAfterDate formats now+d as an HTTP date for a Retry-After header.
// HTTP dates have whole seconds, so the hint is up to 1s shorter than d.
func RetryAfterDate(d time.Duration) string {
	return time.Now().Add(d).UTC().Format(http.TimeFormat)
}

func jsonFault(times, status int, body string) Fault {
	h := http.Header{}
	h.Set("Content-Type", contentTypeJSON)
	h.Set("Cache-Control", "no-store")
	return Fault{Kind: Respond, Times: times, Status: status, Header: h, Body: body}
}
