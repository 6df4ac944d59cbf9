// Command disabledelete pauses a management key, shows its new state, then
// deletes it. With no -id it first creates a throwaway key to work on, so
// it never touches a key you use.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/ai-stats/aistats-go"
	"github.com/ai-stats/aistats-go/examples/internal/exampleenv"
)

func main() {
	id := flag.String("id", "", "key id (default: a throwaway key created for the purpose)")
	flag.Parse()
	if err := run(*id); err != nil {
		fmt.Fprintln(os.Stderr, "disabledelete:", err)
		os.Exit(1)
	}
}

func run(id string) error {
	env, err := exampleenv.Open(2)
	if err != nil {
		return err
	}
	defer env.Close()
	client := env.Client

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	if id == "" {
		// Its secret is never needed: the key is deleted below.
		created, err := client.Keys.Create(ctx, &aistats.CreateKeyParams{Name: "disabledelete example", Scopes: aistats.Scopes{"keys:read"}})
		if err != nil {
			return err
		}
		id = created.ID
		fmt.Printf("created throwaway key %s\n", id)
	}

	// 2026-07 pauses keys; 2026-03 disabled them.
	off := aistats.KeyStatusPaused
	if client.APIVersion() == aistats.APIVersionMarch2026 {
		off = aistats.KeyStatusDisabled
	}
	key, err := client.Keys.Update(ctx, id, &aistats.UpdateKeyParams{Status: &off})
	if err != nil {
		return err
	}
	fmt.Printf("updated %s\n", key)

	if err := client.Keys.Delete(ctx, id); err != nil {
		return err
	}
	fmt.Printf("deleted %s\n", id)

	_, err = client.Keys.Get(ctx, id)
	if errors.Is(err, aistats.ErrNotFound) {
		fmt.Println("confirmed: the key is gone")
		return nil
	}
	return fmt.Errorf("expected the key to be gone, got %v", err)
}
