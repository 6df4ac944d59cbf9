package aistats_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"time"

	"github.com/ai-stats/aistats-go"
	"github.com/ai-stats/aistats-go/aistatstest"
)

func ExampleWithCallOptions() {
	srv := aistatstest.NewServer()
	defer srv.Close()
	client, _ := srv.Client()
	key := srv.AddAPIKey(aistatstest.APIKeySpec{Name: "billing"})

	var resp *http.Response
	ctx := aistats.WithCallOptions(context.Background(),
		aistats.CallMaxRetries(0),                  // this Delete must not retry
		aistats.CallAttemptTimeout(10*time.Second), // per attempt
		aistats.CallHeader("X-Tenant", "acme"),     // on every attempt
		aistats.CallResponseInto(&resp),            // the last attempt's response
	)
	if err := client.APIKeys.Delete(ctx, key.ID); err != nil {
		log.Fatal(err)
	}
	fmt.Println(resp.StatusCode, srv.Requests()[0].Header.Get("X-Tenant"))

	// A bad option fails the call before any request.
	_, err := client.APIKeys.Get(aistats.WithCallOptions(ctx, aistats.CallHeader("Authorization", "x")), key.ID)
	fmt.Println(err)
	// Output:
	// 200 acme
	// aistats: CallHeader name "Authorization" is set by the SDK or net/http and cannot be given per call
}

// callLogger is a RoundTripper given through WithHTTPClient: it reads
// which SDK call each request belongs to.
type callLogger struct{ base http.RoundTripper }

func (t callLogger) RoundTrip(req *http.Request) (*http.Response, error) {
	if info, ok := aistats.CallInfoFromContext(req.Context()); ok {
		fmt.Printf("%s: %s %s (attempt %d)\n", info.Operation, info.Method, info.URLTemplate, info.Attempt)
	}
	return t.base.RoundTrip(req)
}

func ExampleCallInfoFromContext() {
	srv := aistatstest.NewServer()
	defer srv.Close()
	client, _ := srv.Client(aistats.WithHTTPClient(&http.Client{Transport: callLogger{http.DefaultTransport}}))
	key := srv.AddAPIKey(aistatstest.APIKeySpec{Name: "billing"})

	if _, err := client.APIKeys.Rotate(context.Background(), key.ID, nil); err != nil {
		log.Fatal(err)
	}
	// Output:
	// APIKeys.Rotate: POST /v1/keys/{id}/rotate (attempt 1)
}
