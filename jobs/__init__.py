"""The scheduler: which job runs when. Each job opens an app context, calls one service, and commits."""
