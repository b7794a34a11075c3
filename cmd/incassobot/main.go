// Command incassobot is the debt-collection chat backend: it serves the
// HTTP endpoints, migrates the store, imports case files and answers money
// questions (costs, balance) from the command line. See README.md.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	_ "time/tzdata" // Europe/Amsterdam must resolve on machines without a zoneinfo database
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args, os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "incassobot:", err)
		os.Exit(exitCode(err))
	}
}
