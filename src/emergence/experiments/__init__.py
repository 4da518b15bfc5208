"""The chapters' experiments: configuration dataclasses and run functions with explicit inputs."""
