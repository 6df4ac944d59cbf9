// Command listkeys prints every management key, newest first, walking all
// pages lazily with Keys.All.
package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/ai-stats/aistats-go/examples/internal/exampleenv"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "listkeys:", err)
		os.Exit(1)
	}
}

func run() error {
	env, err := exampleenv.Open(3)
	if err != nil {
		return err
	}
	defer env.Close()

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	n := 0
	for key, err := range env.Client.Keys.All(ctx, nil) {
		if err != nil {
			return err
		}
		n++
		fmt.Printf("%s  %-8s  %-20s  scopes=%v  created %s\n",
			key.ID, key.Status, key.Name, key.Scopes, key.CreatedAt.Format(time.RFC3339))
	}
	fmt.Printf("%d keys (API version %s)\n", n, env.Client.APIVersion())
	return nil
}
