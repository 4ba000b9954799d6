"""``nox -s bench``: what Spec Foundry's generation, regeneration, copier task, generated
gate and generated app cost, each as a ratio to a baseline measured in the same run
(issue 18). ``python -m benchmarks --help`` lists the parts; ``measure`` is the one way
they time and weigh a run."""
