package aistats

import (
	"net/http"
	"sync"
)

// The transport of clients made without WithHTTPClient.
//
// Every such client shares one tuned transport, so a program that makes
// many short-lived clients neither leaks their idle connections nor pays
// for a new pool (and a new TCP+TLS handshake) per client. It is chosen per
// attempt, so that a program or test that replaces http.DefaultTransport
// (gock.New, a tracing wrapper) is obeyed even for clients made before the
// replacement, and putting the original back (gock.Off) restores the tuned
// path. Nothing here panics whatever http.DefaultTransport holds.

// originalDefaultTransport is http.DefaultTransport as it was when this
// package was initialised, or nil if it was not an *http.Transport then.
// Only this pointer is compared later: comparing two RoundTripper interface
// values could panic when their dynamic type is not comparable (a func type).
var originalDefaultTransport, _ = http.DefaultTransport.(*http.Transport)

// sharedTransport is the tuned clone of the original default transport,
// built on first use: net/http's settings with an idle pool sized for a
// shared client (the stock limit of 2 idle connections per host makes
// concurrent callers open and close a connection per call).
var sharedTransport = sync.OnceValue(func() *http.Transport {
	t := originalDefaultTransport.Clone()
	t.MaxIdleConns = 128
	t.MaxIdleConnsPerHost = 64
	return t
})

// defaultRoundTripper is the transport for one attempt of a client made
// without WithHTTPClient: the shared tuned transport while
// http.DefaultTransport is still the original one, and otherwise whatever
// http.DefaultTransport holds now, as it is. If the original was not an
// *http.Transport (replaced before this package was initialised), there is
// nothing to tune and the current value is used as it is.
func defaultRoundTripper() http.RoundTripper {
	rt := http.DefaultTransport
	if t, ok := rt.(*http.Transport); ok && t == originalDefaultTransport && t != nil {
		return sharedTransport()
	}
	if rt == nil && originalDefaultTransport != nil {
		return sharedTransport() // net/http itself would panic on a nil DefaultTransport
	}
	return rt
}
