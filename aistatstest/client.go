package aistatstest

import (
	"time"

	"github.com/ai-stats/aistats-go"
)

// Client returns an aistats.Client pointed at the server with its API key
// and millisecond retry waits, so tests that exercise retries stay fast.
// opts are applied last and win.
func (s *Server) Client(opts ...aistats.Option) (*aistats.Client, error) {
	base := []aistats.Option{
		aistats.WithBaseURL(s.URL),
		aistats.WithAPIKey(s.APIKey),
		aistats.WithRetryWait(time.Millisecond, 5*time.Millisecond),
	}
	return aistats.NewClient(append(base, opts...)...)
}
