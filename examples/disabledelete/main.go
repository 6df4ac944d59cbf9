// Command disabledelete disables a key, shows its new state, then deletes it.
// With no -id it works on the newest key.
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
	id := flag.String("id", "", "key id (default: the newest key)")
	flag.Parse()
	if err := run(*id); err != nil {
		fmt.Fprintln(os.Stderr, "disabledelete:", err)
		os.Exit(1)
	}
}

func run(id string) error {
	client, done, err := exampleenv.Client(2)
	if err != nil {
		return err
	}
	defer done()

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	if id == "" {
		page, err := client.Keys.List(ctx, &aistats.ListKeysOptions{Limit: 1})
		if err != nil {
			return err
		}
		if len(page.Keys) == 0 {
			return errors.New("no keys to work on")
		}
		id = page.Keys[0].ID
	}

	key, err := client.Keys.Update(ctx, id, &aistats.UpdateKeyParams{Status: aistats.Ptr(aistats.KeyStatusDisabled)})
	if err != nil {
		return err
	}
	fmt.Printf("disabled %s %q: status=%s\n", key.ID, key.Name, key.Status)

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
