"""Harness code the tests and bench/ share: real servers, throwaway PostgreSQL and Redis, fake chat APIs,
fuzz inputs, paths and trackers. Import it as a package (`from tests.support.servers import say`); nothing here
is a test, and importing it starts nothing."""
