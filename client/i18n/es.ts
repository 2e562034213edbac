import type { Strings } from "./en.js";

/**
 * Spanish for Spain and Latin America alike (`es-419` resolves here), addressing the candidate as
 * usted. Wording avoids regional terms (imagen, not vídeo/video) and gendered adjectives about the
 * candidate, whose gender the page does not know.
 */
export const es: Strings = {
  title: "Verificación de identidad antes de su entrevista",
  loading: "Cargando…",
  consentHeading: "Antes de unirse",
  consentBody:
    "Esta entrevista requiere su cámara. Antes de que se una, comprobamos que hay una sola persona real frente a ella y registramos la hora, su dirección de red y los datos de su navegador para el entrevistador, con un código hecho a partir de las características de su dispositivo que muestra si un mismo dispositivo se usa con varios nombres. No compartimos nada con nadie más.",
  consentFaceTemplate: (days) =>
    `Si supera la verificación, conservaremos una plantilla facial (una lista de números calculada a partir de su rostro, no una foto) durante ${days} ${days === 1 ? "día" : "días"} y después la eliminaremos. Solo se usa para confirmar que la persona que participa en la entrevista, y en cualquier ronda posterior, es la misma que superó esta verificación.`,
  consentDocument: "Si el entrevistador lo pide, después mostrará un documento de identidad a la cámara. El kit lee su zona de lectura mecánica (nombre, nacionalidad, fechas de nacimiento y de caducidad) y compara su foto con su cara; guarda esos datos y una imagen del documento con la entrevista, y el número del documento solo como un código que no permite recuperarlo.",
  consentAccept: "Acepto, activar mi cámara",
  cameraRequesting: "Esperando el permiso para usar la cámara…",
  chooseCamera: "Cámara",
  retry: "Intentar de nuevo",
  checkHeading: "Mire a la cámara",
  checkIntro: "Coloque su rostro dentro del óvalo. Después, siga unos movimientos breves; solo tardará unos segundos.",
  guidance: {
    noFace: "No vemos ningún rostro. Colóquese dentro del encuadre y mire a la cámara.",
    multipleFaces: "Solo debe aparecer una persona en la imagen.",
    moveCloser: "Acérquese un poco",
    moveBack: "Aléjese un poco",
    centre: "Centre su rostro en el óvalo",
    faceCamera: "Mire hacia la cámara",
    hold: "No se mueva…",
  },
  fit: {
    noVideo: "Esperando a que la imagen de su cámara llegue a la verificación…",
    noFace: "No vemos ningún rostro. Colóquese dentro del encuadre y mire a la cámara.",
    multipleFaces: "Solo debe aparecer una persona en la imagen.",
    faceCamera: "Mire directamente a la cámara",
    hold: "No se mueva…",
  },
  stepOf: (i, n) => `Paso ${i} de ${n}`,
  steps: {
    turn_left: "Gire la cabeza hacia su izquierda",
    turn_right: "Gire la cabeza hacia su derecha",
    move_closer: "Acérquese a la cámara",
    follow: "Siga el objetivo con la nariz, con suavidad, hasta que se detenga",
  },
  waitNext: "Mire a la cámara y espere la siguiente instrucción",
  target: {
    left: "a su izquierda",
    right: "a su derecha",
    up: "arriba",
    down: "abajo",
  },
  targetWhere: (h, v) => `Objetivo: ${h}${h && v ? ", " : ""}${v}${!h && !v ? "centro" : ""}`,
  connectingVerifier: "Conectando con el servicio de verificación…",
  verifying: "Verificando…",
  documentHeading: "Muestre su documento de identidad",
  documentPrompt: "Sostenga la página de la foto de su pasaporte o su documento de identidad frente a la cámara, lo bastante cerca para que ocupe casi toda la imagen, y manténgalo quieto unos segundos.",
  documentSkip: "No lo tengo a mano",
  checkBusy:
    "Ya hay una verificación en curso con este enlace, quizá en otra pestaña o ventana. Ciérrela, espere un momento e inténtelo de nuevo.",
  verifiedHeading: "Verificación completada",
  verifiedBody: "Entrando en la sala de la entrevista…",
  inInterview: "Está en la entrevista",
  waitingForInterviewer: "Esperando a que se una el entrevistador…",
  rechallenge: "El entrevistador le pide una comprobación rápida:",
  mute: "Silenciar",
  unmute: "Activar micrófono",
  stopCamera: "Desactivar cámara",
  startCamera: "Activar cámara",
  failedHeading: "No pudimos verificar su identidad",
  blockedHeading: "No le quedan intentos",
  blockedBody: "Ha agotado todos los intentos de verificación. Póngase en contacto con su entrevistador.",
  attemptsLeft: (n) => (n === 1 ? "Le queda 1 intento." : `Le quedan ${n} intentos.`),
  linkErrorHeading: "Este enlace no se puede usar",
  joinFailed: "No pudimos conectar con la sala de la entrevista. Compruebe su conexión e inténtelo de nuevo.",
  serverError:
    "No pudimos comunicarnos con el servicio de verificación. Su cámara funciona correctamente; compruebe su conexión e inténtelo de nuevo.",
  camera: {
    PermissionDenied:
      "Se bloqueó el acceso a la cámara. Permita el uso de la cámara para este sitio desde la barra de direcciones del navegador e inténtelo de nuevo. El entrevistador verá que se rechazó el acceso a la cámara.",
    NoCamera: "No encontramos ninguna cámara. Conecte una cámara web e inténtelo de nuevo.",
    DeviceInUse: "Otra aplicación está usando su cámara. Cierre aplicaciones como Zoom o Teams e inténtelo de nuevo.",
    VirtualCameraOnly: "Solo se encontró una cámara virtual. Use una cámara web real.",
    Unsupported: "Este navegador no puede usar la cámara aquí. Use una versión reciente de Chrome, Edge, Firefox o Safari.",
    Other: "No se pudo iniciar la cámara. Cierre otras aplicaciones que puedan estar usándola e inténtelo de nuevo, o pruebe con otro navegador.",
  },
  liveness: {
    NoVideo:
      "La imagen de su cámara no llegó a la verificación. Mantenga esta página abierta y en primer plano, compruebe su conexión e inténtelo de nuevo.",
    NoFace: "No pudimos ver su rostro con claridad. Mire a la cámara en un lugar bien iluminado.",
    MultipleFaces: "Había más de un rostro en la imagen. Asegúrese de que no haya nadie más en el encuadre.",
    MovedBeforePrompt: "Se movió antes de que apareciera una instrucción. Siga mirando a la cámara y muévase solo cuando se le indique.",
    TooSlow: "No detectamos el movimiento a tiempo. Empiece cada movimiento en cuanto aparezca la instrucción y manténgalo un momento.",
    WrongDirection: "Giró hacia el lado contrario. La izquierda y la derecha son las suyas, no las de la pantalla.",
    VerifierUnavailable: "No pudimos completar la verificación por un problema de nuestra parte. Este intento no se ha contado; inténtelo de nuevo.",
    NotFollowing: "Su cabeza no siguió el objetivo. Mantenga la cara a la vista y mueva la cabeza para que la nariz siga el objetivo, sin adelantarse.",
    Discontinuous: "El vídeo saltó entre fotogramas en lugar de moverse con fluidez. Use su propia cámara, no una grabación, e inténtelo de nuevo.",
    FlatFace: "La cara se movió como una imagen plana, no como una cabeza. Muestre su propia cara a la cámara, no una foto ni una pantalla.",
  },
};
