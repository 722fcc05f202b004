from khasham_learn.cli import main

main()
