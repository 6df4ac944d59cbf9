// Package exampleenv gives the example programs a client: the real API when
// AI_STATS_API_KEY is set, otherwise the in-memory fake, so every example
// runs on a fresh machine with no account.
package exampleenv

import (
	"fmt"
	"os"

	"github.com/ai-stats/aistats-go"
	"github.com/ai-stats/aistats-go/aistatstest"
)

// Client returns a client and a cleanup function. With no API key in the
// environment it starts the fake, seeds it with seed keys, and says so on
// the first line of output.
func Client(seed int) (*aistats.Client, func(), error) {
	if os.Getenv(aistats.EnvAPIKey) != "" {
		c, err := aistats.NewClient()
		return c, func() {}, err
	}
	srv := aistatstest.NewServer(aistatstest.WithAPIVersion(aistats.APIVersionMarch2026)) // 2026-03 until the core speaks 2026-07
	srv.SeedKeys(seed)
	fmt.Printf("no %s set: running against the in-memory fake at %s\n", aistats.EnvAPIKey, srv.URL)
	c, err := srv.Client()
	if err != nil {
		srv.Close()
		return nil, nil, err
	}
	return c, srv.Close, nil
}
