package nn

import (
	"fmt"
	"math"
)

// CheckGradient compares an analytic gradient with central finite
// differences. f evaluates the loss from the current contents of x (usually
// the Values of a store, or an input batch); grad holds the analytic ∂f/∂x
// computed beforehand at the same x. Each x[i] is moved by ±step in place
// and restored, and the check passes when, for every i,
//
//	|grad[i] − (f(x+step·eᵢ) − f(x−step·eᵢ))/(2·step)| ≤ tol·max(1, |grad[i]|, |numeric|)
//
// that is, a relative tolerance for gradients larger than 1 and an absolute
// one below. Scale the loss so that gradients are of order one (for example
// by projecting outputs on random weights) to make the check sharp. f must
// be deterministic and not modify x. The error names the worst element.
func CheckGradient(f func() float64, x, grad []float64, step, tol float64) error {
	if len(grad) != len(x) {
		return fmt.Errorf("nn: CheckGradient: %d gradients for %d variables", len(grad), len(x))
	}
	if !(step > 0) || !(tol > 0) {
		return fmt.Errorf("nn: CheckGradient: step %v and tol %v must be positive", step, tol)
	}
	worst, worstI, worstNum := 0.0, -1, 0.0
	for i, xi := range x {
		x[i] = xi + step
		fp := f()
		x[i] = xi - step
		fm := f()
		x[i] = xi
		num := (fp - fm) / (2 * step)
		e := math.Abs(grad[i]-num) / max(1, math.Abs(grad[i]), math.Abs(num))
		if math.IsNaN(e) {
			e = math.Inf(1)
		}
		if e > worst || worstI < 0 {
			worst, worstI, worstNum = e, i, num
		}
	}
	if worst > tol {
		return fmt.Errorf("nn: CheckGradient: element %d of %d: analytic %.10g, numeric %.10g (scaled error %.3g > %.3g)",
			worstI, len(x), grad[worstI], worstNum, worst, tol)
	}
	return nil
}
