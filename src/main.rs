fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(edgecoder::cli::main())
}
