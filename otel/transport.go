// Package aistatsotel traces the HTTP requests of the aistats SDK with
// OpenTelemetry. It is its own module, so the SDK itself depends on no
// OpenTelemetry package:
//
//	tp := sdktrace.NewTracerProvider(...) // or the global provider
//	hc := &http.Client{Transport: aistatsotel.NewTransport(nil, aistatsotel.WithTracerProvider(tp))}
//	client, err := aistats.NewClient(aistats.WithHTTPClient(hc))
//
// Each attempt of an SDK call (a retry is another attempt) is one client
// span following the OpenTelemetry HTTP semantic conventions, named
// "{METHOD} {url.template}", e.g. "GET /v1/keys/{id}", and carrying the
// SDK call in aistats.operation ("APIKeys.Get"). No header, query value,
// body or error message is recorded: nothing in a span can hold the API
// key or a minted secret.
package aistatsotel

import (
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"github.com/ai-stats/aistats-go"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	semconv "go.opentelemetry.io/otel/semconv/v1.39.0"
	"go.opentelemetry.io/otel/trace"
)

// ScopeName is the instrumentation scope of the spans.
const ScopeName = "github.com/ai-stats/aistats-go/otel"

// OperationKey is the attribute naming the SDK call ("Keys.List").
const OperationKey = attribute.Key("aistats.operation")

// Option configures NewTransport.
type Option func(*config)

type config struct {
	tp trace.TracerProvider
}

// WithTracerProvider sets the provider of the tracer; the default is the
// global one (otel.GetTracerProvider), read when NewTransport is called.
// A nil provider keeps the default.
func WithTracerProvider(tp trace.TracerProvider) Option {
	return func(c *config) {
		if tp != nil {
			c.tp = tp
		}
	}
}

// NewTransport wraps base (http.DefaultTransport when nil) so that every
// request it carries is a client span. Give it to the SDK inside the
// http.Client of aistats.WithHTTPClient; the SDK's CallInfo on each
// request's context names the span. A request not sent by the SDK still
// gets a span, named by its method alone. The W3C trace context is
// injected with the global propagator (otel.GetTextMapPropagator) into a
// copy of the request: the caller's request is never changed.
func NewTransport(base http.RoundTripper, opts ...Option) http.RoundTripper {
	cfg := config{}
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	if cfg.tp == nil {
		cfg.tp = otel.GetTracerProvider()
	}
	return &transport{
		base:   base,
		tracer: cfg.tp.Tracer(ScopeName, trace.WithInstrumentationVersion(aistats.Version), trace.WithSchemaURL(semconv.SchemaURL)),
	}
}

type transport struct {
	base   http.RoundTripper
	tracer trace.Tracer
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	base := t.base
	if base == nil {
		base = http.DefaultTransport
	}
	ctx := req.Context()
	info, sdk := aistats.CallInfoFromContext(ctx)
	method, known := spanMethod(req.Method)
	name := method
	if !known {
		name = "HTTP" // the conventions' name for an unknown method
	}
	if sdk && info.URLTemplate != "" {
		name += " " + info.URLTemplate
	}
	attrs := make([]attribute.KeyValue, 0, 9)
	attrs = append(attrs, semconv.HTTPRequestMethodKey.String(method))
	if !known {
		attrs = append(attrs, semconv.HTTPRequestMethodOriginalKey.String(req.Method))
	}
	if req.URL != nil {
		host, port := serverAddress(req)
		attrs = append(attrs, semconv.ServerAddress(host), semconv.URLFull(safeURL(req.URL)))
		if port > 0 {
			attrs = append(attrs, semconv.ServerPort(port))
		}
	}
	if sdk {
		if info.URLTemplate != "" {
			attrs = append(attrs, semconv.URLTemplate(info.URLTemplate))
		}
		if info.Attempt > 1 {
			attrs = append(attrs, semconv.HTTPRequestResendCount(info.Attempt-1))
		}
		attrs = append(attrs, OperationKey.String(info.Operation))
	}
	ctx, span := t.tracer.Start(ctx, name, trace.WithSpanKind(trace.SpanKindClient), trace.WithAttributes(attrs...))

	out := req.Clone(ctx) // the caller's request and its headers stay as they were
	otel.GetTextMapPropagator().Inject(ctx, propagation.HeaderCarrier(out.Header))

	resp, err := base.RoundTrip(out)
	if err != nil {
		span.SetAttributes(semconv.ErrorType(err))
		// The error's text is not recorded: a RoundTripper's message may
		// quote anything, including a URL or a header.
		span.SetStatus(codes.Error, "transport error")
		span.End()
		return resp, err
	}
	span.SetAttributes(semconv.HTTPResponseStatusCode(resp.StatusCode))
	if resp.StatusCode >= 400 {
		span.SetAttributes(semconv.ErrorTypeKey.String(strconv.Itoa(resp.StatusCode)))
		span.SetStatus(codes.Error, "")
	}
	if resp.Body == nil || resp.Body == http.NoBody {
		span.End()
		return resp, nil
	}
	// The span lasts until the body is read or closed: the SDK reads the
	// whole answer within the attempt.
	resp.Body = &spanBody{ReadCloser: resp.Body, span: span}
	return resp, nil
}

// spanBody ends its span at the end of the body, at a read error (an
// attempt failure for the SDK), or at Close, whichever comes first.
type spanBody struct {
	io.ReadCloser
	span trace.Span
	once sync.Once
}

func (b *spanBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	switch {
	case err == io.EOF:
		b.end(nil)
	case err != nil:
		b.end(err)
	}
	return n, err
}

func (b *spanBody) Close() error {
	err := b.ReadCloser.Close()
	b.end(nil)
	return err
}

func (b *spanBody) end(err error) {
	b.once.Do(func() {
		if err != nil {
			b.span.SetAttributes(semconv.ErrorType(err))
			b.span.SetStatus(codes.Error, "reading response body")
		}
		b.span.End()
	})
}

// spanMethod is the method as the conventions record it: a known method
// as it is, anything else as "_OTHER" (the span is then named "HTTP", and
// the method kept in http.request.method_original).
func spanMethod(m string) (string, bool) {
	switch m {
	case http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete,
		http.MethodHead, http.MethodOptions, http.MethodConnect, http.MethodTrace:
		return m, true
	case "":
		return http.MethodGet, true // net/http's meaning of an empty method
	}
	return "_OTHER", false
}

// serverAddress is the host and port the request goes to: the URL's, with
// the scheme's default port when none is given.
func serverAddress(req *http.Request) (string, int) {
	hostport := req.URL.Host
	if hostport == "" {
		hostport = req.Host
	}
	host, portText, err := net.SplitHostPort(hostport)
	if err != nil {
		host, portText = strings.Trim(hostport, "[]"), ""
	}
	if p, err := strconv.Atoi(portText); err == nil && p > 0 {
		return host, p
	}
	switch req.URL.Scheme {
	case "https":
		return host, 443
	case "http":
		return host, 80
	}
	return host, 0
}

// safeURL is url.full without anything that could carry a credential: no
// user info, no fragment, and every query value replaced by "REDACTED"
// (the names stay: on the SDK's requests they are its list options).
func safeURL(u *url.URL) string {
	c := *u
	c.User, c.Fragment, c.RawFragment = nil, "", ""
	if c.RawQuery != "" {
		parts := strings.Split(c.RawQuery, "&")
		for i, p := range parts {
			if k, _, ok := strings.Cut(p, "="); ok {
				parts[i] = k + "=REDACTED"
			} else if p != "" {
				parts[i] = "REDACTED" // a bare value: no name to keep
			}
		}
		c.RawQuery = strings.Join(parts, "&")
	}
	return c.String()
}
