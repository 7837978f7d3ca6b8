/**
 * The module-path smoke application. It requires dev.overlaynet.core and nothing else,
 * as the application of the original report did ("requires dev.overlaynet.core" compiled,
 * then died with NoClassDefFoundError: org/slf4j/LoggerFactory): everything else it
 * needs must come from overlaynet's own module declarations.
 */
module dev.overlaynet.smoke {
    requires dev.overlaynet.core;
}
