package aistats

import (
	"context"
	"net/http"
	"net/url"
	"testing"
)

// newCall builds the request http.NewRequestWithContext would build from
// the same URL string, without parsing it when the path is plain.
func TestNewCallMatchesNewRequest(t *testing.T) {
	t.Parallel()
	bases := []string{
		"https://api.phaseo.app/v1", "http://127.0.0.1:8080/v1", "http://[::1]:9/v1",
		"https://api.example.test", "https://api.example.test/v1/a%20b", "HTTPS://API.Example.TEST:443/v1/",
	}
	paths := []string{
		"/management/keys", "/management/keys/" + testKeyID, "/management/keys/" + url.PathEscape("a b"),
		"/management/keys/" + url.PathEscape("ü/%?#"), "/management/keys/a;b,c@d:e=f+g$h&i~j", "/management/keys/(x)*!'",
	}
	for _, base := range bases {
		c := newTestClient(t, base)
		for _, p := range paths {
			for _, q := range []string{"", "limit=10&offset=0", "q=a+b%26c"} {
				for _, body := range []any{nil, map[string]string{"name": "x"}} {
					cl, err := c.newCall(context.Background(), request{method: http.MethodGet, path: p, query: q, body: body})
					if err != nil {
						t.Fatal(err)
					}
					raw := c.baseURL + p
					if q != "" {
						raw += "?" + q
					}
					want, err := http.NewRequest(http.MethodGet, raw, nil)
					if err != nil {
						t.Fatal(err)
					}
					got := cl.req.Request
					if *got.URL != *want.URL || got.Host != want.Host || got.Proto != want.Proto ||
						got.ProtoMajor != want.ProtoMajor || got.ProtoMinor != want.ProtoMinor || got.Method != want.Method {
						t.Errorf("%s + %s ? %s:\ngot  %#v host %q\nwant %#v host %q", base, p, q, *got.URL, got.Host, *want.URL, want.Host)
					}
					if wantPath := c.basePath + p; cl.path != wantPath {
						t.Errorf("call path %q; want %q", cl.path, wantPath)
					}
					if got.Context() != context.Context(&cl.first) || cl.first.parent != context.Context(&cl.ctx) ||
						callFrom(got.Context()) != &cl.callState {
						t.Error("the request does not carry the call's first attempt context")
					}
					if body != nil {
						if b, _ := cl.req.BodyBytes(); string(b) != `{"name":"x"}` || got.ContentLength != int64(len(b)) || got.GetBody == nil {
							t.Errorf("body %q, ContentLength %d, GetBody set %v", b, got.ContentLength, got.GetBody != nil)
						}
						if got.Header.Get("Content-Type") != "application/json" {
							t.Error("no Content-Type on a request with a body")
						}
					} else if got.Body != nil || got.GetBody != nil || got.ContentLength != 0 || got.Header["Content-Type"] != nil {
						t.Error("a request without a body has body fields set")
					}
				}
			}
		}
	}
}

// FuzzPlainPath: a path plainPath accepts is one url.Parse keeps as it is.
func FuzzPlainPath(f *testing.F) {
	for _, s := range []string{"/v1/management/keys", "/a b", "/%41", "/a?b", "/a#b", "/ü", "/(x)"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, p string) {
		if p == "" || p[0] != '/' || !plainPath(p) {
			return // newCall takes its fast path only for such paths
		}
		u, err := url.Parse("https://h" + p)
		if err != nil {
			t.Fatalf("plain path %q does not parse: %v", p, err)
		}
		if u.Path != p || u.RawPath != "" || u.RawQuery != "" || u.Fragment != "" || u.Host != "h" {
			t.Errorf("plain path %q parsed as Path %q RawPath %q", p, u.Path, u.RawPath)
		}
	})
}

// NewClient splits the normalised base URL by hand when url.Parse would
// give the same parts, and parses it otherwise.
func TestSplitBaseURLMatchesParse(t *testing.T) {
	t.Parallel()
	for _, base := range []string{
		"https://api.phaseo.app/v1", "https://api.phaseo.app", "https://api.phaseo.app/", "HTTPS://API.Example.TEST:443/v1/",
		"http://127.0.0.1:8080/v1", "http://[::1]:9/v1", "http://[fe80::1%25en0]:8080/v1", "https://h:/v1",
		"https://h/v1/a%20b", "https://h/v1/a b", "https://h/v1;x=1/(y)", "https://h/%7Ev1",
	} {
		c, err := NewClient(WithAPIKey(testAPIKey), WithBaseURL(base), WithInsecureHTTP())
		if err != nil {
			t.Fatalf("%s: %v", base, err)
		}
		u, err := url.Parse(c.baseURL)
		if err != nil {
			t.Fatal(err)
		}
		if c.basePath != u.EscapedPath() {
			t.Errorf("%s: basePath %q; url.Parse gives %q", base, c.basePath, u.EscapedPath())
		}
		if base == "https://api.phaseo.app/v1" && (c.urlHost != "api.phaseo.app" || c.basePath != "/v1") {
			t.Errorf("the default base URL took the url.Parse path: host %q path %q", c.urlHost, c.basePath)
		}
		if c.urlHost != "" && (c.urlScheme != u.Scheme || c.urlHost != removeEmptyPort(u.Host) || !plainPath(c.basePath)) {
			t.Errorf("%s: scheme %q host %q; url.Parse gives %q %q", base, c.urlScheme, c.urlHost, u.Scheme, u.Host)
		}
	}
}
