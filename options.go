package aistats

import (
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Defaults. They are documented in the README's retry table.
const (
	DefaultBaseURL      = "https://api.phaseo.app/v1"
	DefaultMaxRetries   = 3
	DefaultRetryWaitMin = 500 * time.Millisecond
	DefaultRetryWaitMax = 8 * time.Second
	// DefaultTimeout bounds each attempt (connect, send, headers and body),
	// so a server that never answers cannot hang a call made without a
	// deadline. The context bounds the whole call, retries included.
	DefaultTimeout = 30 * time.Second

	// EnvAPIKey, EnvPhaseoAPIKey and EnvBaseURL are read by NewClient when
	// no option sets them; EnvAPIKey wins over EnvPhaseoAPIKey.
	EnvAPIKey       = "AI_STATS_API_KEY"
	EnvPhaseoAPIKey = "PHASEO_API_KEY"
	EnvBaseURL      = "AI_STATS_BASE_URL"
)

// Option configures a Client. Options report bad values as errors from
// NewClient; none of them panics.
type Option func(*config) error

type config struct {
	apiKey       Secret
	apiKeySet    bool
	baseURL      string
	baseURLSet   bool
	httpClient   *http.Client
	maxRetries   int
	retryWaitMin time.Duration
	retryWaitMax time.Duration
	// maxRetryAfter is the longest Retry-After hint waited for; unless
	// set, it follows retryWaitMax.
	maxRetryAfter    time.Duration
	maxRetryAfterSet bool
	timeout          time.Duration
	timeoutSet       bool
	userAgent        string
	logger           *slog.Logger
	insecureHTTP     bool
	apiVersion       APIVersion // "" until an option, the environment or the key decides
}

// WithAPIKey sets the key sent as "Authorization: Bearer <key>". Surrounding
// white space is trimmed, as it is from the environment. Without it
// NewClient reads AI_STATS_API_KEY, then PHASEO_API_KEY (the official CLI's
// variable).
func WithAPIKey(key string) Option {
	return func(c *config) error {
		key = strings.TrimSpace(key)
		if err := checkAPIKey("WithAPIKey", key); err != nil {
			return err
		}
		c.apiKey, c.apiKeySet = NewSecret(key), true
		return nil
	}
}

// checkAPIKey rejects keys that would corrupt the Authorization header.
// The error names where the key came from and never quotes it.
func checkAPIKey(from, key string) error {
	if key == "" {
		return &ValidationError{Field: from, Problem: "is empty"}
	}
	for i := 0; i < len(key); i++ {
		if ch := key[i]; ch <= ' ' || ch >= 0x7f {
			return &ValidationError{Field: from, Problem: fmt.Sprintf("has a whitespace, control or non-ASCII byte at position %d of the key", i)}
		}
	}
	return nil
}

// WithAPIVersion fixes the API version the client speaks. Without it the
// client reads AI_STATS_API_VERSION, and otherwise lets the credential
// decide, with no request: a key starting with aistats_ selects 2026-03
// (the only version that accepts it), anything else 2026-07. An unknown
// value is an error from NewClient.
func WithAPIVersion(v APIVersion) Option {
	return func(c *config) error {
		pv, err := parseAPIVersion("WithAPIVersion", string(v))
		if err != nil {
			return err
		}
		c.apiVersion = pv
		return nil
	}
}

// WithBaseURL points the client at another server, e.g. the aistatstest
// fake. The URL must be absolute; plain http:// is accepted only for
// loopback hosts unless WithInsecureHTTP is also given.
func WithBaseURL(rawURL string) Option {
	return func(c *config) error {
		c.baseURL, c.baseURLSet = rawURL, true
		return nil
	}
}

// WithInsecureHTTP allows a plain-http base URL on a non-loopback host.
// DANGEROUS: the API key then crosses the network in clear text. Use it only
// for a trusted private network or a TLS-terminating sidecar.
func WithInsecureHTTP() Option {
	return func(c *config) error {
		c.insecureHTTP = true
		return nil
	}
}

// WithHTTPClient sets the client whose Transport carries every attempt
// (proxies, TLS settings, tracing wrappers are kept). Retries wrap it; the
// SDK never replaces it and never empties its connection pool. Its Timeout,
// if set and WithTimeout is not, becomes the per-attempt timeout. Its
// redirect policy is not used: the SDK never follows redirects.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) error {
		if hc == nil {
			return &ValidationError{Field: "WithHTTPClient", Problem: "got a nil *http.Client"}
		}
		c.httpClient = hc
		return nil
	}
}

// WithMaxRetries sets how many times a failed attempt may be retried; 0
// disables retries. The default is 3.
func WithMaxRetries(n int) Option {
	return func(c *config) error {
		if n < 0 {
			return &ValidationError{Field: "WithMaxRetries", Problem: fmt.Sprintf("got %d; want 0 or more", n)}
		}
		c.maxRetries = n
		return nil
	}
}

// WithRetryWait sets the exponential backoff bounds (default 500ms..8s). A
// Retry-After hint longer than max is not waited for: the call returns the
// *APIError with RetryAfter set.
func WithRetryWait(min, max time.Duration) Option {
	return func(c *config) error {
		if min < 0 || max < min {
			return &ValidationError{Field: "WithRetryWait", Problem: fmt.Sprintf("got min=%s max=%s; want 0 <= min <= max", min, max)}
		}
		c.retryWaitMin, c.retryWaitMax = min, max
		return nil
	}
}

// WithMaxRetryAfter sets the longest Retry-After hint (429 and 503) the
// client waits for before retrying; a longer hint ends the call at once with
// the *APIError and its RetryAfter. The default is the backoff's max wait
// (WithRetryWait, 8s by default). It lets a client keep short backoffs
// while still honouring a server's longer hints, as the aistatstest fake's
// client does.
func WithMaxRetryAfter(d time.Duration) Option {
	return func(c *config) error {
		if d < 0 {
			return &ValidationError{Field: "WithMaxRetryAfter", Problem: fmt.Sprintf("got %s; want 0 or more", d)}
		}
		c.maxRetryAfter, c.maxRetryAfterSet = d, true
		return nil
	}
}

// WithTimeout bounds each attempt (default 30s). Use the context for a
// deadline on the whole call, retries included.
func WithTimeout(d time.Duration) Option {
	return func(c *config) error {
		if d <= 0 {
			return &ValidationError{Field: "WithTimeout", Problem: fmt.Sprintf("got %s; want a positive duration", d)}
		}
		c.timeout, c.timeoutSet = d, true
		return nil
	}
}

// WithUserAgent prepends the caller's product token to the SDK's own
// User-Agent, e.g. "billing-bot/2.1 aistats-go/0.2.0".
func WithUserAgent(ua string) Option {
	return func(c *config) error {
		ua = strings.TrimSpace(ua)
		if ua == "" || strings.ContainsAny(ua, "\r\n") {
			return &ValidationError{Field: "WithUserAgent", Problem: "must be non-empty and on one line"}
		}
		c.userAgent = ua
		return nil
	}
}

// WithLogger receives one debug record per attempt (method, path, status,
// attempt, duration, request id) and a warning per retry. It never receives
// header values, query values or bodies. The default is silent.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		c.logger = l
		return nil
	}
}

func defaultConfig() *config {
	return &config{
		maxRetries:   DefaultMaxRetries,
		retryWaitMin: DefaultRetryWaitMin,
		retryWaitMax: DefaultRetryWaitMax,
		timeout:      DefaultTimeout,
	}
}

// resolve fills what the options left unset from the environment and
// checks the result.
func (c *config) resolve(getenv func(string) string) error {
	if !c.apiKeySet {
		key, from := "", ""
		for _, name := range []string{EnvAPIKey, EnvPhaseoAPIKey} {
			if v := strings.TrimSpace(getenv(name)); v != "" {
				key, from = v, name
				break
			}
		}
		if key == "" {
			return &ValidationError{Field: "API key", Problem: "is not set: pass aistats.WithAPIKey or set " + EnvAPIKey + " (or " + EnvPhaseoAPIKey + ")"}
		}
		if err := checkAPIKey(from, key); err != nil {
			return err
		}
		c.apiKey = NewSecret(key)
	}
	if c.apiVersion == "" {
		if v := getenv(EnvAPIVersion); strings.TrimSpace(v) != "" {
			pv, err := parseAPIVersion(EnvAPIVersion, v)
			if err != nil {
				return err
			}
			c.apiVersion = pv
		} else {
			c.apiVersion = versionForKey(c.apiKey.Reveal())
		}
	}
	if !c.baseURLSet {
		c.baseURL = strings.TrimSpace(getenv(EnvBaseURL))
		if c.baseURL == "" {
			c.baseURL = DefaultBaseURL
		}
	}
	u, err := checkBaseURL(c.baseURL, c.insecureHTTP)
	if err != nil {
		return err
	}
	c.baseURL = u
	if !c.maxRetryAfterSet {
		c.maxRetryAfter = c.retryWaitMax
	}
	if !c.timeoutSet && c.httpClient != nil && c.httpClient.Timeout > 0 {
		c.timeout = c.httpClient.Timeout
	}
	return nil
}

// checkBaseURL returns the normalised base URL (no trailing slash). Its
// errors never quote the raw input, which may carry credentials.
func checkBaseURL(raw string, insecureOK bool) (string, error) {
	bad := func(problem string) error {
		return &ValidationError{Field: "base URL", Problem: problem}
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", bad("does not parse as a URL")
	}
	switch {
	case u.User != nil:
		return "", bad("must not carry credentials; use WithAPIKey")
	case !u.IsAbs() || u.Host == "":
		return "", bad("must be absolute, like " + DefaultBaseURL)
	case u.Scheme != "https" && u.Scheme != "http":
		return "", bad(fmt.Sprintf("scheme %q is not http or https", u.Scheme))
	case u.RawQuery != "" || u.Fragment != "" || u.ForceQuery:
		return "", bad("must not have a query or fragment")
	case u.Scheme == "http" && !insecureOK && !isLoopback(u.Hostname()):
		return "", bad(fmt.Sprintf("uses plain http to %s; only loopback hosts may use http unless WithInsecureHTTP is given", u.Hostname()))
	}
	return strings.TrimRight(u.String(), "/"), nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
