package runner_test

import (
	"fmt"

	"github.com/teachbench/teachbench/runner"
)

func ExampleParse() {
	c, err := runner.Parse("example.toml", `
name = "example"
seeds = 2
[budget]
episodes = 20000
[[env]]
name = "toy"
[[teacher]]
name = "random"
[[teacher]]
name = "alp-gmm"
[teacher.sweep]
random_ratio = [0.1, 0.2]
`)
	if err != nil {
		panic(err)
	}
	runs, _ := c.Plan()
	for _, r := range runs {
		fmt.Println(r.ID)
	}
	// Output:
	// toy__random__synthetic__s0
	// toy__random__synthetic__s1
	// toy__alp-gmm_random_ratio=0.1__synthetic__s0
	// toy__alp-gmm_random_ratio=0.1__synthetic__s1
	// toy__alp-gmm_random_ratio=0.2__synthetic__s0
	// toy__alp-gmm_random_ratio=0.2__synthetic__s1
}
