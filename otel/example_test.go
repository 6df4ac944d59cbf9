package aistatsotel_test

import (
	"context"
	"fmt"
	"log"
	"net/http"

	"github.com/ai-stats/aistats-go"
	"github.com/ai-stats/aistats-go/aistatstest"
	aistatsotel "github.com/ai-stats/aistats-go/otel"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
)

func ExampleNewTransport() {
	srv := aistatstest.NewServer() // stands in for the API; with a real account, leave out the base URL
	defer srv.Close()
	recorder := tracetest.NewSpanRecorder() // in a program: an exporter
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(recorder))

	// The setup: the tracing transport inside the SDK's HTTP client.
	hc := &http.Client{Transport: aistatsotel.NewTransport(http.DefaultTransport, aistatsotel.WithTracerProvider(tp))}
	client, err := aistats.NewClient(aistats.WithHTTPClient(hc), aistats.WithBaseURL(srv.URL), aistats.WithAPIKey(srv.ManagementKey))
	if err != nil {
		log.Fatal(err)
	}

	ctx := context.Background()
	key, err := client.APIKeys.Create(ctx, &aistats.CreateAPIKeyParams{Name: "traced"})
	if err != nil {
		log.Fatal(err)
	}
	if _, err := client.APIKeys.Get(ctx, key.ID); err != nil {
		log.Fatal(err)
	}
	for _, span := range recorder.Ended() {
		var op string
		for _, kv := range span.Attributes() {
			if kv.Key == aistatsotel.OperationKey {
				op = kv.Value.AsString()
			}
		}
		fmt.Println(span.Name(), op)
	}
	// Output:
	// POST /v1/keys APIKeys.Create
	// GET /v1/keys/{id} APIKeys.Get
}
