package aistatsotel_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/ai-stats/aistats-go"
	"github.com/ai-stats/aistats-go/aistatstest"
	aistatsotel "github.com/ai-stats/aistats-go/otel"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
)

func init() {
	// What a program sets up once; the transport uses the global propagator.
	otel.SetTextMapPropagator(propagation.TraceContext{})
}

// tracedFake is the aistatstest fake and an SDK client whose requests go
// through the tracing transport into a span recorder.
func tracedFake(t *testing.T, opts ...aistatstest.ServerOption) (*aistatstest.Server, *aistats.Client, *tracetest.SpanRecorder, *sdktrace.TracerProvider) {
	t.Helper()
	srv := aistatstest.NewServer(opts...)
	t.Cleanup(srv.Close)
	sr := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(sr))
	hc := &http.Client{Transport: aistatsotel.NewTransport(srv.HTTPClient().Transport, aistatsotel.WithTracerProvider(tp))}
	c, err := srv.Client(aistats.WithHTTPClient(hc))
	if err != nil {
		t.Fatal(err)
	}
	return srv, c, sr, tp
}

func attrs(s sdktrace.ReadOnlySpan) map[attribute.Key]attribute.Value {
	m := map[attribute.Key]attribute.Value{}
	for _, kv := range s.Attributes() {
		m[kv.Key] = kv.Value
	}
	return m
}

func TestRetriedCallIsTwoSpans(t *testing.T) {
	srv, c, sr, tp := tracedFake(t)
	id := srv.AddAPIKey(aistatstest.APIKeySpec{Name: "k"}).ID
	srv.Inject(aistatstest.Fault{Kind: aistatstest.Respond, Status: http.StatusServiceUnavailable, Method: http.MethodGet})

	ctx, parent := tp.Tracer("test").Start(context.Background(), "parent")
	if _, err := c.APIKeys.Get(ctx, id); err != nil {
		t.Fatal(err)
	}
	parent.End()

	var spans []sdktrace.ReadOnlySpan
	for _, s := range sr.Ended() {
		if s.Name() != "parent" {
			spans = append(spans, s)
		}
	}
	if len(spans) != 2 {
		t.Fatalf("got %d attempt spans, want 2", len(spans))
	}
	u, _ := url.Parse(srv.URL)
	port, _ := strconv.Atoi(u.Port())
	for i, s := range spans {
		a := attrs(s)
		if s.Name() != "GET /v1/keys/{id}" {
			t.Errorf("span %d: name %q", i, s.Name())
		}
		if s.SpanKind() != trace.SpanKindClient {
			t.Errorf("span %d: kind %v", i, s.SpanKind())
		}
		if s.Parent().SpanID() != parent.SpanContext().SpanID() {
			t.Errorf("span %d is not a child of the caller's span", i)
		}
		for k, want := range map[attribute.Key]attribute.Value{
			"http.request.method": attribute.StringValue("GET"),
			"url.template":        attribute.StringValue("/v1/keys/{id}"),
			"aistats.operation":   attribute.StringValue("APIKeys.Get"),
			"server.address":      attribute.StringValue(u.Hostname()),
			"server.port":         attribute.IntValue(port),
			"url.full":            attribute.StringValue(u.Scheme + "://" + u.Host + "/v1/keys/" + id),
		} {
			if a[k] != want {
				t.Errorf("span %d: %s = %v, want %v", i, k, a[k].Emit(), want.Emit())
			}
		}
	}
	first, second := attrs(spans[0]), attrs(spans[1])
	if first["http.response.status_code"].AsInt64() != 503 || first["error.type"].AsString() != "503" || spans[0].Status().Code != codes.Error {
		t.Errorf("first attempt: %v %v", first, spans[0].Status())
	}
	if _, ok := first["http.request.resend_count"]; ok {
		t.Error("the first attempt is not a resend")
	}
	if second["http.response.status_code"].AsInt64() != 200 || spans[1].Status().Code == codes.Error {
		t.Errorf("second attempt: %v %v", second, spans[1].Status())
	}
	if _, ok := second["error.type"]; ok {
		t.Error("error.type on a success")
	}
	if got := second["http.request.resend_count"]; got.AsInt64() != 1 {
		t.Errorf("resend count %v, want 1", got.Emit())
	}

	// The server received each attempt's own trace context.
	reqs := srv.Requests()
	if len(reqs) != 2 {
		t.Fatalf("%d requests", len(reqs))
	}
	for i, r := range reqs {
		want := fmt.Sprintf("00-%s-%s-01", spans[i].SpanContext().TraceID(), spans[i].SpanContext().SpanID())
		if got := r.Header.Get("Traceparent"); got != want {
			t.Errorf("request %d: traceparent %q, want %q", i, got, want)
		}
	}
}

// No span attribute, event, name or status holds the client's key or a
// minted secret; query values are redacted.
func TestSpansHoldNoCredential(t *testing.T) {
	srv, c, sr, _ := tracedFake(t)
	ctx := context.Background()
	created, err := c.APIKeys.Create(ctx, &aistats.CreateAPIKeyParams{Name: "traced"})
	if err != nil {
		t.Fatal(err)
	}
	rotated, err := c.APIKeys.Rotate(ctx, created.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	mk, err := c.Keys.Create(ctx, &aistats.CreateKeyParams{Name: "traced", Template: aistats.KeyTemplateReadOnly})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.APIKeys.List(ctx, &aistats.ListAPIKeysOptions{Limit: 7}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Keys.Get(ctx, "00000000-0000-4000-8000-000000000000"); !errors.Is(err, aistats.ErrNotFound) {
		t.Fatalf("want a 404, got %v", err)
	}
	secrets := map[string]string{
		"client key":      srv.ManagementKey,
		"created secret":  created.Secret.Reveal(),
		"rotated secret":  rotated.Secret.Reveal(),
		"mgmt key secret": mk.Secret.Reveal(),
	}
	spans := sr.Ended()
	if len(spans) != 5 {
		t.Fatalf("%d spans, want 5", len(spans))
	}
	sawList := false
	for _, s := range spans {
		var texts []string
		texts = append(texts, s.Name(), s.Status().Description)
		for _, kv := range s.Attributes() {
			texts = append(texts, string(kv.Key), kv.Value.Emit())
			if kv.Key == "url.full" && strings.Contains(kv.Value.AsString(), "?") {
				sawList = true
				if !strings.HasSuffix(kv.Value.AsString(), "/v1/keys?limit=REDACTED") {
					t.Errorf("url.full %q keeps a query value", kv.Value.AsString())
				}
			}
		}
		for _, e := range s.Events() {
			texts = append(texts, e.Name)
			for _, kv := range e.Attributes {
				texts = append(texts, kv.Value.Emit())
			}
		}
		all := strings.Join(texts, "\n")
		for what, secret := range secrets {
			if secret == "" || strings.Contains(all, secret) {
				t.Errorf("span %q holds the %s (or it is empty)", s.Name(), what)
			}
		}
		if strings.Contains(strings.ToLower(all), "bearer") {
			t.Errorf("span %q mentions an Authorization header", s.Name())
		}
	}
	if !sawList {
		t.Error("no list span with a query")
	}
}

// A request the SDK did not send still gets a span, named by its method;
// the caller's request is not changed.
func TestRequestWithoutCallInfo(t *testing.T) {
	var got http.Header
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Clone()
		w.WriteHeader(http.StatusTeapot)
	}))
	defer ts.Close()
	sr := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(sr))
	hc := &http.Client{Transport: aistatsotel.NewTransport(nil, aistatsotel.WithTracerProvider(tp))}
	req, _ := http.NewRequest(http.MethodGet, ts.URL+"/plain?token=hunter2#frag", nil)
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()

	spans := sr.Ended()
	if len(spans) != 1 {
		t.Fatalf("%d spans", len(spans))
	}
	s, a := spans[0], attrs(spans[0])
	if s.Name() != "GET" {
		t.Errorf("name %q, want GET", s.Name())
	}
	for _, k := range []attribute.Key{"url.template", "aistats.operation", "http.request.resend_count"} {
		if _, ok := a[k]; ok {
			t.Errorf("%s set on a request without CallInfo", k)
		}
	}
	if a["url.full"].AsString() != ts.URL+"/plain?token=REDACTED" {
		t.Errorf("url.full %q", a["url.full"].AsString())
	}
	if a["error.type"].AsString() != "418" || s.Status().Code != codes.Error {
		t.Errorf("a 4xx is an error: %v %v", a["error.type"].Emit(), s.Status())
	}
	if got.Get("Traceparent") == "" {
		t.Error("no traceparent sent")
	}
	if req.Header.Get("Traceparent") != "" {
		t.Error("the caller's request was changed")
	}
}

type failingTransport struct{}

var errDial = errors.New("dial failed for https://user:pw@example.invalid/?key=secret")

func (failingTransport) RoundTrip(*http.Request) (*http.Response, error) { return nil, errDial }

func TestTransportErrorSpan(t *testing.T) {
	sr := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(sr))
	rt := aistatsotel.NewTransport(failingTransport{}, aistatsotel.WithTracerProvider(tp))
	req, _ := http.NewRequest(http.MethodPost, "https://user:pw@example.invalid/x?key=secret", nil)
	if _, err := rt.RoundTrip(req); !errors.Is(err, errDial) {
		t.Fatalf("error %v", err)
	}
	s := sr.Ended()[0]
	a := attrs(s)
	if s.Status().Code != codes.Error || a["error.type"].AsString() == "" {
		t.Errorf("status %v, error.type %q", s.Status(), a["error.type"].AsString())
	}
	if a["server.port"].AsInt64() != 443 || a["server.address"].AsString() != "example.invalid" {
		t.Errorf("server %v:%v", a["server.address"].Emit(), a["server.port"].Emit())
	}
	for _, kv := range s.Attributes() {
		if v := kv.Value.Emit(); strings.Contains(v, "secret") || strings.Contains(v, "pw") {
			t.Errorf("%s = %q leaks the URL's credentials", kv.Key, v)
		}
	}
	if strings.Contains(s.Status().Description, "secret") || len(s.Events()) != 0 {
		t.Errorf("the error's text was recorded: %q %v", s.Status().Description, s.Events())
	}
}

func TestUnknownMethodSpan(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer ts.Close()
	sr := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(sr))
	req, _ := http.NewRequest("PURGE", ts.URL, nil)
	resp, err := aistatsotel.NewTransport(nil, aistatsotel.WithTracerProvider(tp)).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	s := sr.Ended()[0]
	a := attrs(s)
	if s.Name() != "HTTP" || a["http.request.method"].AsString() != "_OTHER" || a["http.request.method_original"].AsString() != "PURGE" {
		t.Errorf("name %q, attributes %v", s.Name(), a)
	}
}
