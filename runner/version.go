package runner

import (
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
)

// Version is the harness version recorded in sweep.json and run.json.
//
// Version and Revision are variables so that a build can stamp them:
//
//	go build -ldflags "-X github.com/teachbench/teachbench/runner.Revision=$(git rev-parse HEAD)" ./cmd/bench
//
// Stamping matters because builds here run with GOFLAGS=-buildvcs=false, which
// leaves no VCS revision in the binary's build information. Without a stamp,
// Revision falls back to the build information's vcs.revision (plus
// "+modified" for a dirty tree) when the binary was built with VCS stamping,
// and is empty otherwise.
var Version = "0.1.0"

// Revision is the source revision of the harness, normally stamped with
// -ldflags -X (see Version).
var Revision = ""

// buildSettings lists the build settings recorded in sweep.json: those that
// can change results (instruction-set level, experiments, cgo, tags, flags)
// or identify the source.
var buildSettings = []string{
	"GOAMD64", "GOARM", "GOARM64", "GO386", "GOMIPS", "GOPPC64", "GORISCV64", "GOWASM",
	"GOEXPERIMENT", "CGO_ENABLED", "-tags", "-ldflags", "-gcflags", "-race", "-msan", "-asan",
	"-buildmode", "-compiler", "-trimpath", "vcs", "vcs.revision", "vcs.time", "vcs.modified",
}

// buildInfo returns the versions of the modules in the build, the build
// settings and the source revision.
func buildInfo() (modules, settings map[string]string, revision string) {
	modules, settings = map[string]string{}, map[string]string{}
	revision = Revision
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return modules, settings, revision
	}
	modules[bi.Main.Path] = bi.Main.Version
	for _, d := range bi.Deps {
		v := d.Version
		if d.Replace != nil {
			v += " => " + d.Replace.Path + " " + d.Replace.Version
		}
		modules[d.Path] = v
	}
	for _, s := range bi.Settings {
		for _, k := range buildSettings {
			if s.Key == k {
				settings[k] = s.Value
			}
		}
	}
	if revision == "" && settings["vcs.revision"] != "" {
		revision = settings["vcs.revision"]
		if settings["vcs.modified"] == "true" {
			revision += "+modified"
		}
	}
	return modules, settings, revision
}

// archLevels are the build settings that select an instruction-set level.
// They change floating-point results: with GOAMD64=v3 the compiler fuses
// x*y+z into one FMA instruction, which v1 cannot, so the last bits differ.
var archLevels = []string{"GOAMD64", "GOARM", "GOARM64", "GO386", "GOMIPS", "GOPPC64", "GORISCV64"}

// producer identifies the build that executes runs, for run.json: two runs
// with the same key and the same producer give bit-identical results.
func producer() string {
	_, settings, rev := buildInfo()
	parts := []string{"teachbench " + Version}
	if rev != "" {
		parts = append(parts, "revision "+rev)
	}
	arch := runtime.GOOS + "/" + runtime.GOARCH
	for _, k := range archLevels {
		if v := settings[k]; v != "" {
			arch += " " + k + "=" + v
		}
	}
	parts = append(parts, runtime.Version(), arch)
	return strings.Join(parts, " ")
}

// producerOnce is producer, computed once: Revision is fixed at link time.
var producerOnce = sync.OnceValue(producer)
