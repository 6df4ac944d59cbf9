package aistats

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
)

func TestNoRetryLogWhenNoRetryLeft(t *testing.T) {
	for _, v := range []APIVersion{APIVersionMarch2026, APIVersionJuly2026} {
		var logs bytes.Buffer
		c := newRTClient(t, rtFunc(func(r *http.Request) (*http.Response, error) {
			return &http.Response{StatusCode: 503, Header: http.Header{}, Body: io.NopCloser(strings.NewReader("x")), Request: r}, nil
		}), WithMaxRetries(0), WithLogger(slog.New(slog.NewTextHandler(&logs, nil))), WithAPIVersion(v))
		errs := []error{errOnly(c.Keys.Get(context.Background(), testKeyID))}
		if v == APIVersionJuly2026 {
			errs = append(errs, errOnly(c.APIKeys.Get(context.Background(), julyAPIKeyID)))
		}
		for _, err := range errs {
			if !errors.Is(err, ErrServer) {
				t.Fatalf("%s: want the 503, got %v", v, err)
			}
		}
		if strings.Contains(logs.String(), "retrying") {
			t.Fatalf("%s: a 'retrying' warning was logged although WithMaxRetries(0) made no retry", v)
		}
	}
}
